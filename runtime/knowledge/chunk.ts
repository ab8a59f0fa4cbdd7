import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Section } from './extract.js';

/** One chunk as stored: its place in the source and the headings above it. */
export interface ChunkDraft {
  position: number;
  headings: string[];
  text: string;
}

/** Chunking settings of a knowledge base. */
export interface ChunkSettings {
  /** Characters per chunk. Default (per knowledge base): 1,000. */
  chunkSize: number;
  /** Characters shared by neighbouring chunks. Default: 200. */
  chunkOverlap: number;
}

/**
 * Splits each section with LangChain's RecursiveCharacterTextSplitter (paragraphs, then lines,
 * then words); chunks never span sections, so each keeps the headings it sits under.
 */
export async function chunkSections(sections: Section[], settings: ChunkSettings): Promise<ChunkDraft[]> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: settings.chunkSize, chunkOverlap: settings.chunkOverlap });
  const chunks: ChunkDraft[] = [];
  for (const section of sections) {
    const text = section.text.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n').trim();
    if (!text) continue;
    for (const piece of await splitter.splitText(text)) {
      // NUL cannot be stored in a Postgres text column (PDFs sometimes carry it).
      const clean = piece.split('\u0000').join('').trim();
      if (clean) chunks.push({ position: chunks.length, headings: section.headings, text: clean });
    }
  }
  return chunks;
}

/** What the embedder sees: the headings give a short chunk its context. */
export function embeddingText(chunk: { headings: string[]; text: string }): string {
  return chunk.headings.length ? `${chunk.headings.join(' > ')}\n${chunk.text}` : chunk.text;
}
