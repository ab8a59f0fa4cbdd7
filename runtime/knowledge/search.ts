import type { Knex } from 'knex';
import type { KnowledgeHit } from '@switchyard/sdk';
import type { VectorIndex } from './vector-index.js';

/** Reciprocal rank fusion's constant (Cormack et al.): damps the weight of the very first ranks. */
export const RRF_K = 60;

/** Candidates each list contributes to the fusion, at least. */
const MIN_CANDIDATES = 40;

/** The base a search runs against, as stored. */
export interface SearchTarget {
  id: string;
  model: string;
  dimension: number | null;
}

interface Ranked {
  id: string;
}

/** `real[]` literal for a bound parameter. */
export function vectorLiteral(vector: Float32Array | number[]): string {
  return `{${Array.from(vector).join(',')}}`;
}

/** Words of the question OR-ed for `to_tsquery` (plainto/websearch AND every word: a question rarely matches whole). */
export function orQuery(query: string): string | undefined {
  const words = [...new Set((query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1))];
  return words.length ? words.slice(0, 64).join(' | ') : undefined;
}

/** Nearest chunks by cosine: pgvector's HNSW index when loaded, else every vector of the base compared in SQL. */
export async function vectorCandidates(knex: Knex, index: VectorIndex, target: SearchTarget, vector: Float32Array, limit: number): Promise<Ranked[]> {
  if (!target.dimension) return [];
  const literal = vectorLiteral(vector);
  if ((await index.status()).kind === 'hnsw') {
    const d = target.dimension;
    const { rows } = await knex.raw(
      `select id::text as id from knowledge_chunks where knowledge_base_id = ? and embedding is not null
       order by (embedding::vector(${d})) <=> (?::real[])::vector(${d}) limit ?`,
      [target.id, literal, limit],
    );
    return rows;
  }
  // Vectors are unit length, so the dot product is the cosine similarity.
  const { rows } = await knex.raw(
    `select c.id::text as id from knowledge_chunks c, lateral (select sum(a * b) as s from unnest(c.embedding, ?::real[]) as v(a, b)) dot
     where c.knowledge_base_id = ? and c.embedding_model = ? and c.embedding is not null
     order by dot.s desc limit ?`,
    [literal, target.id, target.model, limit],
  );
  return rows;
}

/** Chunks matching any word of the question, ranked by `ts_rank_cd` (GIN index on the generated tsvector). */
export async function fullTextCandidates(knex: Knex, knowledgeBaseId: string, query: string, limit: number): Promise<Ranked[]> {
  const tsquery = orQuery(query);
  if (!tsquery) return [];
  const { rows } = await knex.raw(
    `select c.id::text as id from knowledge_chunks c, to_tsquery('english', ?) q
     where c.knowledge_base_id = ? and c.tsv @@ q order by ts_rank_cd(c.tsv, q) desc, c.id limit ?`,
    [tsquery, knowledgeBaseId, limit],
  );
  return rows;
}

/** Reciprocal rank fusion: each list adds 1 / (RRF_K + rank) to the chunks it ranks. */
export function fuse(lists: Ranked[][]): Map<string, number> {
  const scores = new Map<string, number>();
  for (const list of lists) {
    list.forEach((item, rank) => scores.set(item.id, (scores.get(item.id) ?? 0) + 1 / (RRF_K + rank + 1)));
  }
  return scores;
}

function dot(a: number[], b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length && i < b.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/**
 * Hybrid search: vector and full-text candidates fused by rank; then each returned chunk's cosine
 * similarity to the question (what a minimum score compares with), text and citation.
 */
export async function searchChunks(
  knex: Knex, index: VectorIndex, target: SearchTarget,
  request: { query: string; vector: Float32Array | undefined; k: number; minScore: number; mode: 'hybrid' | 'vector' | 'fulltext' },
): Promise<KnowledgeHit[]> {
  const limit = Math.max(MIN_CANDIDATES, request.k * 4);
  const [byVector, byText] = await Promise.all([
    request.mode !== 'fulltext' && request.vector ? vectorCandidates(knex, index, target, request.vector, limit) : Promise.resolve([]),
    request.mode !== 'vector' ? fullTextCandidates(knex, target.id, request.query, limit) : Promise.resolve([]),
  ]);
  const fused = [...fuse([byVector, byText]).entries()].sort((a, b) => b[1] - a[1]);
  // Ranked beyond k, then cut after the minimum score: a weak chunk must not push out a strong one.
  const wanted = fused.slice(0, request.minScore > 0 ? limit : request.k);
  if (wanted.length === 0) return [];
  const { rows } = await knex.raw(
    `select c.id::text as id, c.text, c.position, c.headings, c.embedding, c.embedding_model, s.id as source_id, s.name as source_name, s.kind as source_kind, s.url
     from knowledge_chunks c join knowledge_sources s on s.id = c.source_id where c.id = any(?::bigint[])`,
    [wanted.map(([id]) => id)],
  );
  const byId = new Map<string, ChunkRow>((rows as ChunkRow[]).map((r) => [r.id, r]));
  const hits: KnowledgeHit[] = [];
  for (const [id, score] of wanted) {
    const row = byId.get(id);
    if (!row) continue;
    const similarity = request.vector && row.embedding && row.embedding_model === target.model ? Math.max(0, Math.min(1, dot(row.embedding, request.vector))) : 0;
    if (similarity < request.minScore) continue;
    hits.push({
      chunkId: id, text: row.text, score, similarity,
      citation: {
        sourceId: row.source_id, sourceName: row.source_name, sourceKind: row.source_kind,
        ...(row.url ? { url: row.url } : {}), position: row.position, headings: row.headings,
      },
    });
    if (hits.length === request.k) break;
  }
  return hits;
}

interface ChunkRow {
  id: string;
  text: string;
  position: number;
  headings: string[];
  embedding: number[] | null;
  embedding_model: string | null;
  source_id: string;
  source_name: string;
  source_kind: string;
  url: string | null;
}
