import type { Knex } from 'knex';
import type { VectorSearchStatus } from './types.js';

/** What the page says when vectors are searched exactly. */
export const EXACT_SEARCH_MESSAGE = 'This database has no pgvector, so vectors are searched exactly (every chunk compared): fine up to a few thousand chunks. '
  + 'Run CREATE EXTENSION vector; as a superuser (the pgvector package must be installed) and restart Switchyard to get the HNSW index.';

/** Ids are ours (`kb_` + hex); checked anyway, since they are written into index DDL. */
function safeId(id: string): string {
  if (!/^kb_[0-9a-f]{16}$/.test(id)) throw new Error(`unexpected knowledge base id ${id}`);
  return id;
}

/**
 * Vectors are `real[]` in every database; with pgvector each knowledge base gets a partial HNSW
 * index (cosine) on `embedding::vector(dim)`, so bases of different dimensions share the table and a
 * search only walks its own base's graph (decision 033).
 */
export class VectorIndex {
  private detected: Promise<VectorSearchStatus> | undefined;

  constructor(private readonly knex: Knex) {}

  /** Loads pgvector when the server has it (once per process); `exact` otherwise. */
  status(): Promise<VectorSearchStatus> {
    this.detected ??= this.detect();
    return this.detected;
  }

  private async detect(): Promise<VectorSearchStatus> {
    try {
      const { rows } = await this.knex.raw("select 1 from pg_available_extensions where name = 'vector'");
      if (rows.length > 0) await this.knex.raw('create extension if not exists vector');
    } catch {
      // No privilege to create it: exact search, and the page says what to run.
    }
    // The type must be visible on our search path too (an extension lives in one schema).
    const { rows } = await this.knex.raw("select to_regtype('vector') is not null as ok");
    return rows[0]?.ok ? { kind: 'hnsw' } : { kind: 'exact', message: EXACT_SEARCH_MESSAGE };
  }

  indexName(knowledgeBaseId: string): string {
    return `knowledge_chunks_hnsw_${safeId(knowledgeBaseId).slice(3)}`;
  }

  /** Creates the base's HNSW index for `dimension` (no-op without pgvector or when it exists). */
  async ensure(knowledgeBaseId: string, dimension: number): Promise<void> {
    if ((await this.status()).kind !== 'hnsw') return;
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > 16000) throw new Error(`bad vector dimension ${dimension}`);
    await this.knex.raw(`create index if not exists ${this.indexName(knowledgeBaseId)} on knowledge_chunks using hnsw ((embedding::vector(${dimension})) vector_cosine_ops) where knowledge_base_id = '${safeId(knowledgeBaseId)}'`);
  }

  /** Drops the base's index (its model or dimension changed, or it is deleted). */
  async drop(knowledgeBaseId: string): Promise<void> {
    if ((await this.status()).kind !== 'hnsw') return;
    await this.knex.raw(`drop index if exists ${this.indexName(knowledgeBaseId)}`);
  }
}
