import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { NotFoundError } from '../errors.js';
import type { KnowledgeBaseRecord, KnowledgeSourceRecord, SourceStatus } from './types.js';

/** Rows of migration 009 and their records. */

export interface BaseRow {
  id: string;
  workspace_id: string;
  name: string;
  description: string;
  chunk_size: number;
  chunk_overlap: number;
  embedding_model: string;
  embedding_credential_id: string | null;
  dimension: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface SourceRow {
  id: string;
  workspace_id: string;
  knowledge_base_id: string;
  kind: KnowledgeSourceRecord['kind'];
  name: string;
  format: string;
  url: string | null;
  bytes: number;
  status: SourceStatus;
  progress: number;
  error: string | null;
  chunk_count: number;
  created_at: Date;
  updated_at: Date;
}

/** Every column of a source but its content (which can be megabytes). */
export const SOURCE_COLUMNS: (keyof SourceRow)[] = ['id', 'workspace_id', 'knowledge_base_id', 'kind', 'name', 'format', 'url', 'bytes', 'status', 'progress', 'error', 'chunk_count', 'created_at', 'updated_at'];

export const newBaseId = () => `kb_${randomBytes(8).toString('hex')}`;
export const newSourceId = () => `ks_${randomBytes(8).toString('hex')}`;

const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

export function toSource(row: SourceRow): KnowledgeSourceRecord {
  return {
    id: row.id, knowledgeBaseId: row.knowledge_base_id, kind: row.kind, name: row.name, format: row.format, url: row.url,
    bytes: row.bytes, status: row.status, progress: Number(row.progress), error: row.error, chunkCount: row.chunk_count,
    createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
  };
}

export async function toBases(knex: Knex, rows: BaseRow[]): Promise<KnowledgeBaseRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const { rows: counts } = await knex.raw<{ rows: { knowledge_base_id: string; status: SourceStatus; count: string; chunks: string | null }[] }>(
    'select knowledge_base_id, status, count(*) as count, sum(chunk_count) as chunks from knowledge_sources where knowledge_base_id = any(?) group by 1, 2',
    [ids],
  );
  return rows.map((row) => {
    const sourceCounts: Record<SourceStatus, number> = { queued: 0, processing: 0, ready: 0, failed: 0 };
    let chunkCount = 0;
    for (const c of counts.filter((x) => x.knowledge_base_id === row.id)) {
      sourceCounts[c.status] = Number(c.count);
      chunkCount += Number(c.chunks ?? 0);
    }
    return {
      id: row.id, name: row.name, description: row.description, chunkSize: row.chunk_size, chunkOverlap: row.chunk_overlap,
      embedding: { model: row.embedding_model, credentialId: row.embedding_credential_id, dimension: row.dimension },
      sourceCounts, chunkCount, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at),
    };
  });
}

/** A base of the workspace by id, or by name when no id matches. */
export async function findBase(knex: Knex, workspaceId: string, idOrName: string): Promise<BaseRow> {
  const row = await knex<BaseRow>('knowledge_bases').where({ workspace_id: workspaceId })
    .andWhere((q) => q.where('id', idOrName).orWhere('name', idOrName)).orderByRaw('(id = ?) desc', [idOrName]).first();
  if (!row) throw new NotFoundError('knowledge base', idOrName);
  return row;
}

export async function setSource(knex: Knex, sourceId: string, fields: Partial<Pick<SourceRow, 'status' | 'progress' | 'error' | 'chunk_count'>>): Promise<number> {
  return knex('knowledge_sources').where({ id: sourceId }).update({ ...fields, updated_at: knex.fn.now() });
}
