/** Where a knowledge chunk came from: what an answer cites. */
export interface KnowledgeCitation {
  sourceId: string;
  /** The file name, the page's URL, or the name given to pasted text or a FAQ. */
  sourceName: string;
  /** file | url | text | faq */
  sourceKind: string;
  /** The web page, for URL sources. */
  url?: string;
  /** The chunk's place in its source (0-based). */
  position: number;
  /** Headings above the chunk (a PDF's page as `Page 3`). */
  headings: string[];
}

/** One ranked chunk of a knowledge search. */
export interface KnowledgeHit {
  chunkId: string;
  text: string;
  /** The rank fusion score the list is ordered by (higher first). */
  score: number;
  /** Cosine similarity of the question and the chunk, 0–1: what a minimum score is compared with. */
  similarity: number;
  citation: KnowledgeCitation;
}

/** Options of a knowledge search. */
export interface KnowledgeSearchOptions {
  /** Chunks to return. Default: 5. */
  k?: number;
  /** Leave out chunks whose similarity is below this (0–1). Default: 0. */
  minScore?: number;
  /** `hybrid` (vector + full text, fused by rank), `vector` or `fulltext`. Default: 'hybrid'. */
  mode?: 'hybrid' | 'vector' | 'fulltext';
  /** Abort the search. Default: none. */
  signal?: AbortSignal;
}

/** What built-in AI nodes get as `ctx.knowledge` (undefined where the runtime offers no knowledge bases). */
export interface KnowledgeCapabilities {
  /** Searches one knowledge base of the execution's workspace, by id or by name. */
  search(knowledgeBase: string, query: string, options?: KnowledgeSearchOptions): Promise<KnowledgeHit[]>;
  /**
   * Embeds texts with the local Universal Sentence Encoder (the knowledge bases' no-key model, run in
   * its own process, shared with ingestion): 512-dimension vectors, one per text, in order. Absent
   * where the runtime has no local model.
   */
  embedLocally?(texts: string[]): Promise<number[][]>;
}
