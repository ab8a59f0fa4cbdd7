import { z } from 'zod';
import { NonRetryableError, ui, type Json, type KnowledgeHit, type NodeContext } from '@switchyard/sdk';

/** Props every knowledge node shares: which base, how many chunks, how close they must be. */
export const knowledgeShape = {
  knowledgeBase: ui(z.string().trim().min(1, 'name the knowledge base'), {
    title: 'Knowledge base', description: 'Its name (or id) as on the Knowledge page', placeholder: 'Support FAQ', expression: false,
  }),
  /** Default: 5. */
  k: ui(z.number().int().min(1).max(20).default(5), { title: 'Chunks', description: 'How many chunks to return' }),
  /** Default: 0.3. */
  minScore: ui(z.number().min(0).max(1).default(0.3), {
    title: 'Minimum similarity', description: 'Leave out chunks less similar to the question than this (0–1; around 0.3 keeps related text, 0.5 close matches)',
  }),
  /** Default: 'hybrid'. */
  mode: ui(z.enum(['hybrid', 'vector', 'fulltext']).default('hybrid'), {
    title: 'Search', description: 'Hybrid finds both paraphrases and exact words such as product codes', enumLabels: { hybrid: 'Meaning and words (hybrid)', vector: 'Meaning only', fulltext: 'Words only' }, group: 'Advanced',
  }),
};

/** Searches through `ctx.knowledge`; a missing base is an error naming it that no retry can fix. */
export async function searchKnowledge(
  ctx: Pick<NodeContext, 'knowledge' | 'signal'>, props: { knowledgeBase: string; k: number; minScore: number; mode: 'hybrid' | 'vector' | 'fulltext' }, query: string,
): Promise<KnowledgeHit[]> {
  if (!ctx.knowledge) throw new NonRetryableError('knowledge bases are not available to this node here', { code: 'no_knowledge' });
  if (!query.trim()) throw new NonRetryableError('the question is empty: check the expression that fills it', { code: 'empty_query' });
  try {
    return await ctx.knowledge.search(props.knowledgeBase, query, { k: props.k, minScore: props.minScore, mode: props.mode, signal: ctx.signal });
  } catch (error) {
    if ((error as { status?: number }).status === 404) {
      throw new NonRetryableError(`there is no knowledge base "${props.knowledgeBase}": create it on the Knowledge page or fix the name`, { code: 'knowledge_base_not_found' });
    }
    throw error;
  }
}

/** A hit as step data: the text and where it came from. */
export function hitJson(hit: KnowledgeHit, n: number): Json {
  const c = hit.citation;
  return {
    n, text: hit.text, score: hit.score, similarity: Math.round(hit.similarity * 1000) / 1000,
    source: { id: c.sourceId, name: c.sourceName, kind: c.sourceKind, ...(c.url ? { url: c.url } : {}) },
    position: c.position, headings: c.headings,
  };
}

/** Where a hit came from, in words: `returns.pdf › Page 2`. */
export function citationLabel(hit: KnowledgeHit): string {
  return [hit.citation.sourceName, ...hit.citation.headings].join(' › ');
}

/** The hits numbered as a prompt's context: `[1] (source › heading)\ntext`. */
export function contextText(hits: readonly KnowledgeHit[]): string {
  return hits.map((hit, i) => `[${i + 1}] (${citationLabel(hit)})\n${hit.text}`).join('\n\n');
}
