import type { Knex } from 'knex';
import type { KnowledgeHit } from '@switchyard/sdk';
import type { VectorIndex } from './vector-index.js';

/** Reciprocal rank fusion's constant (Cormack et al.): damps the weight of the very first ranks. */
export const RRF_K = 60;

/** Candidates each list contributes to the fusion, at least. */
const MIN_CANDIDATES = 40;

/**
 * Full-text matches ranked per question, at most, for each of "every word" and "any word": ranking
 * costs a read of each match's tsvector, and a common word matches most of a large base. Chunks
 * with every word come first; past this many, the rest are ranked in storage order, not all.
 */
export const FULLTEXT_RANKED = 500;

/** The base a search runs against, as stored. */
export interface SearchTarget {
  id: string;
  model: string;
  dimension: number | null;
}

/** `real[]` literal for a bound parameter. */
export function vectorLiteral(vector: Float32Array | number[]): string {
  return `{${Array.from(vector).join(',')}}`;
}

/** The question's words (lower case, deduplicated, at most 64). */
function words(query: string): string[] {
  return [...new Set((query.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 1))].slice(0, 64);
}

/** Words of the question OR-ed for `to_tsquery` (plainto/websearch AND every word: a question rarely matches whole). */
export function orQuery(query: string): string | undefined {
  const found = words(query);
  return found.length ? found.join(' | ') : undefined;
}

interface Sql {
  text: string;
  bindings: Knex.RawBinding[];
}

/**
 * Nearest `limit` chunks by cosine, numbered 1…: pgvector's HNSW index when loaded (the query
 * orders by the indexed expression with its operator, so the planner walks the base's graph), else
 * every vector of the base compared in SQL (unit vectors: the dot product is the cosine).
 */
function vectorArm(hnsw: boolean, target: SearchTarget, literal: string, limit: number): Sql {
  if (hnsw) {
    const d = target.dimension!;
    return {
      text: `select id, row_number() over (order by distance) as rank from (
        select id, (embedding::vector(${d})) <=> (select v from question) as distance from knowledge_chunks
        where knowledge_base_id = ? and embedding is not null order by distance limit ?) nearest`,
      bindings: [target.id, limit],
    };
  }
  return {
    // Both unnests in one select list walk the arrays in step without materialising a function scan
    // (a third faster than `lateral unnest(a, b)` on Postgres 15).
    text: `select id, row_number() over (order by s desc) as rank from (
      select c.id, (select sum(p) from (select unnest(c.embedding) * unnest(?::real[]) as p) products) as s from knowledge_chunks c
      where c.knowledge_base_id = ? and c.embedding_model = ? and c.embedding is not null
      order by s desc limit ?) nearest`,
    bindings: [literal, target.id, target.model, limit],
  };
}

/**
 * Chunks matching the question's words (GIN index on the generated tsvector), ranked by
 * `ts_rank_cd` over any word: those with every word first, then those with some, each capped at
 * {@link FULLTEXT_RANKED} so a common word costs a bounded number of rankings.
 */
function fullTextArm(knowledgeBaseId: string, query: string, limit: number): Sql | undefined {
  const found = words(query);
  if (found.length === 0) return undefined;
  const any = found.join(' | ');
  const every = found.join(' & ');
  return {
    text: `select id, row_number() over (order by ts_rank_cd(tsv, to_tsquery('english', ?)) desc, id) as rank from (
        (select id, tsv from knowledge_chunks where knowledge_base_id = ? and tsv @@ to_tsquery('english', ?) limit ${FULLTEXT_RANKED})
        union all
        (select id, tsv from knowledge_chunks where knowledge_base_id = ? and tsv @@ to_tsquery('english', ?) and not tsv @@ to_tsquery('english', ?) limit ${FULLTEXT_RANKED})
      ) matched order by rank limit ?`,
    bindings: [any, knowledgeBaseId, every, knowledgeBaseId, any, every, limit],
  };
}

/**
 * The question's vector and each hit's cosine similarity to it (0 without one, or for a chunk whose
 * vector is of another model). With pgvector the vector is bound once, as the `question` CTE every
 * use reads: PGlite spends ~1.2 ms of CPU reading each bound copy of 512 floats, and the statement
 * needed three. The similarity is then pgvector's distance operator in C: the SQL product of 512
 * `unnest`ed pairs cost ~6 ms of a 100,000-chunk search for the 40 fused candidates a minimum score
 * needs (scratch comparison, decision 033). A chunk's vector of the base's model has the base's
 * dimension. Without pgvector (exact search, Postgres 15) the statement is as it was.
 */
function question(hnsw: boolean, target: SearchTarget, literal: string | null): { cte: Sql; similarity: Sql } {
  const matches = 'c.embedding is not null and c.embedding_model = ?';
  if (hnsw && target.dimension) {
    const d = target.dimension;
    return {
      cte: { text: `question as (select (?::real[])::vector(${d}) as v),`, bindings: [literal] },
      similarity: {
        text: `case when (select v from question) is not null and ${matches} then 1 - ((c.embedding::vector(${d})) <=> (select v from question)) else 0 end`,
        bindings: [target.model],
      },
    };
  }
  return {
    cte: { text: '', bindings: [] },
    similarity: {
      text: `case when ?::real[] is not null and ${matches} then (select sum(a::float8 * b::float8) from unnest(c.embedding, ?::real[]) as v(a, b)) else 0 end`,
      bindings: [literal, target.model, literal],
    },
  };
}

const NONE: Sql = { text: 'select null::bigint as id, 0::bigint as rank where false', bindings: [] };

/**
 * Hybrid search in one statement: the vector and full-text candidate lists (top max(40, 4k) of
 * each) fused by reciprocal rank (each list adds 1 / (RRF_K + rank)), then each fused chunk's text,
 * citation and cosine similarity to the question (what a minimum score compares with; 0 for a
 * vector of another model or no question vector). Ties keep the vector list's order, then the
 * full-text list's.
 */
export async function searchChunks(
  knex: Knex, index: VectorIndex, target: SearchTarget,
  request: { query: string; vector: Float32Array | undefined; k: number; minScore: number; mode: 'hybrid' | 'vector' | 'fulltext' },
): Promise<KnowledgeHit[]> {
  const limit = Math.max(MIN_CANDIDATES, request.k * 4);
  const literal = request.vector ? vectorLiteral(request.vector) : null;
  const hnsw = (await index.status()).kind === 'hnsw';
  const asked = question(hnsw, target, literal);
  const byVector = request.mode !== 'fulltext' && literal && target.dimension ? vectorArm(hnsw, target, literal, limit) : NONE;
  const byText = (request.mode !== 'vector' && fullTextArm(target.id, request.query, limit)) || NONE;
  if (byVector === NONE && byText === NONE) return [];
  // Ranked beyond k, then cut after the minimum score: a weak chunk must not push out a strong one.
  const wanted = request.minScore > 0 ? limit : request.k;
  const { rows } = await knex.raw(
    `with ${asked.cte.text} by_vector as (${byVector.text}), by_text as (${byText.text}),
     fused as (
       select id, sum(1::float8 / (${RRF_K} + rank)) as score, min(case when list = 0 then rank else ${limit} + rank end) as seen
       from (select id, rank, 0 as list from by_vector union all select id, rank, 1 as list from by_text) lists
       group by id order by score desc, seen limit ?)
     select c.id::text as id, c.text, c.position, c.headings, f.score, s.id as source_id, s.name as source_name, s.kind as source_kind, s.url,
       ${asked.similarity.text} as similarity
     from fused f join knowledge_chunks c on c.id = f.id join knowledge_sources s on s.id = c.source_id
     order by f.score desc, f.seen`,
    [...asked.cte.bindings, ...byVector.bindings, ...byText.bindings, wanted, ...asked.similarity.bindings],
  );
  const hits: KnowledgeHit[] = [];
  for (const row of rows as ChunkRow[]) {
    const similarity = Math.max(0, Math.min(1, Number(row.similarity) || 0));
    if (similarity < request.minScore) continue;
    hits.push({
      chunkId: row.id, text: row.text, score: Number(row.score), similarity,
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
  score: number;
  similarity: number | null;
  source_id: string;
  source_name: string;
  source_kind: string;
  url: string | null;
}
