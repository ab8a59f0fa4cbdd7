import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import { AppError, NotFoundError, ValidationError } from '../errors.js';
import type { GuardedHttpClient } from '../net/index.js';
import { embedderFor, PROVIDER_PREFIX, type ProviderEmbedderFactory } from './embedders.js';
import { formatOfFile, SUPPORTED_FILES } from './extract.js';
import { LOCAL_DIMENSION, LOCAL_MODEL, type LocalEmbedder } from './local-embedder.js';
import type { KnowledgeQueue } from './queue.js';
import { searchChunks } from './search.js';
import { findBase, newBaseId, newSourceId, SOURCE_COLUMNS, toBases, toSource, type BaseRow, type SourceRow } from './store.js';
import type {
  AddSourceInput, CreateKnowledgeBaseInput, EmbeddingChoice, FileSourceInput, KnowledgeBaseRecord, KnowledgeService, KnowledgeSourceRecord, UpdateKnowledgeBaseInput,
} from './types.js';
import type { VectorIndex } from './vector-index.js';
import { formatBytes } from './zip-guard.js';

/** Default chunking (per knowledge base). */
export const DEFAULT_CHUNK_SIZE = 1000;
export const DEFAULT_CHUNK_OVERLAP = 200;
/** Default largest upload: 20 MB. */
export const DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface KnowledgeServiceDeps {
  knex: Knex;
  queue: KnowledgeQueue;
  index: VectorIndex;
  local: LocalEmbedder;
  /** Provider embedding models; undefined: only the local model. */
  provider?: ProviderEmbedderFactory;
  /** Checks that a credential may embed (exists in the workspace, is an AI provider); throws a 400 otherwise. */
  checkCredential?(workspaceId: string, credentialId: string): Promise<void>;
  http: GuardedHttpClient;
  log: Logger;
  /** Largest upload or fetched page. Default: 20 MB. */
  maxFileBytes?: number;
}

/** 413 naming the limit. */
export class PayloadTooLargeError extends AppError {
  override name = 'PayloadTooLargeError';
  constructor(limitBytes: number) {
    super(413, 'too_large', `files up to ${formatBytes(limitBytes)} can be added to a knowledge base`);
  }
}

function modelOf(choice: EmbeddingChoice | null | undefined): { model: string; credentialId: string | null; dimension: number | null } {
  return choice ? { model: `${PROVIDER_PREFIX}${choice.model}`, credentialId: choice.credentialId, dimension: null } : { model: LOCAL_MODEL, credentialId: null, dimension: LOCAL_DIMENSION };
}

const generation = () => randomBytes(4).toString('hex');

export function createKnowledgeService(deps: KnowledgeServiceDeps): KnowledgeService {
  const { knex, queue, index } = deps;
  const maxFileBytes = deps.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;

  async function base(workspaceId: string, id: string): Promise<KnowledgeBaseRecord> {
    const row = await knex<BaseRow>('knowledge_bases').where({ workspace_id: workspaceId, id }).first();
    if (!row) throw new NotFoundError('knowledge base', id);
    return (await toBases(knex, [row]))[0]!;
  }

  async function checkEmbedding(workspaceId: string, choice: EmbeddingChoice | null | undefined): Promise<void> {
    if (!choice) return;
    if (!deps.provider || !deps.checkCredential) throw new ValidationError('provider embedding models are not available yet: leave embedding out to use the local model', [{ code: 'invalid_embedding', message: 'no provider embeddings', path: ['embedding'] }]);
    await deps.checkCredential(workspaceId, choice.credentialId);
  }

  async function nameTaken(workspaceId: string, name: string, except?: string): Promise<void> {
    const clash = await knex('knowledge_bases').where({ workspace_id: workspaceId, name }).modify((q) => { if (except) q.whereNot({ id: except }); }).first('id');
    if (clash) throw new AppError(409, 'conflict', `a knowledge base named "${name}" already exists`);
  }

  /** Queues every source of the base again (model or chunking changed). */
  async function reindex(knowledgeBaseId: string): Promise<void> {
    const gen = generation();
    const sources = await knex('knowledge_sources').where({ knowledge_base_id: knowledgeBaseId }).update({ status: 'queued', progress: 0, error: null, updated_at: knex.fn.now() }, ['id', 'workspace_id']);
    for (const s of sources as { id: string; workspace_id: string }[]) await queue.ingest({ sourceId: s.id, workspaceId: s.workspace_id }, gen);
  }

  return {
    maxFileBytes,
    vectorSearch: () => index.status(),

    async list(workspaceId) {
      return toBases(knex, await knex<BaseRow>('knowledge_bases').where({ workspace_id: workspaceId }).orderBy('name'));
    },

    get: base,

    async create(workspaceId, input: CreateKnowledgeBaseInput) {
      await checkEmbedding(workspaceId, input.embedding);
      await nameTaken(workspaceId, input.name);
      const id = newBaseId();
      const model = modelOf(input.embedding);
      await knex('knowledge_bases').insert({
        id, workspace_id: workspaceId, name: input.name, description: input.description ?? '',
        chunk_size: input.chunkSize ?? DEFAULT_CHUNK_SIZE, chunk_overlap: input.chunkOverlap ?? DEFAULT_CHUNK_OVERLAP,
        embedding_model: model.model, embedding_credential_id: model.credentialId, dimension: model.dimension,
      });
      return base(workspaceId, id);
    },

    async update(workspaceId, id, input: UpdateKnowledgeBaseInput) {
      const current = await knex<BaseRow>('knowledge_bases').where({ workspace_id: workspaceId, id }).first();
      if (!current) throw new NotFoundError('knowledge base', id);
      if (input.name !== undefined && input.name !== current.name) await nameTaken(workspaceId, input.name, id);
      const chunkSize = input.chunkSize ?? current.chunk_size;
      const chunkOverlap = input.chunkOverlap ?? current.chunk_overlap;
      if (chunkOverlap >= chunkSize) throw new ValidationError('the overlap (chunkOverlap) must be smaller than the chunk size (chunkSize)', [{ code: 'invalid', message: 'the overlap (chunkOverlap) must be smaller than the chunk size (chunkSize)', path: ['chunkOverlap'] }]);
      const fields: Partial<BaseRow> = { name: input.name ?? current.name, description: input.description ?? current.description, chunk_size: chunkSize, chunk_overlap: chunkOverlap };
      let modelChanged = false;
      if (input.embedding !== undefined) {
        await checkEmbedding(workspaceId, input.embedding);
        const model = modelOf(input.embedding);
        modelChanged = model.model !== current.embedding_model || model.credentialId !== current.embedding_credential_id;
        if (modelChanged) Object.assign(fields, { embedding_model: model.model, embedding_credential_id: model.credentialId, dimension: model.dimension });
      }
      await knex.transaction(async (trx) => {
        await trx('knowledge_bases').where({ id }).update({ ...fields, updated_at: trx.fn.now() });
        // Vectors of two models are never mixed: the old ones go before any new one is written.
        if (modelChanged) await trx('knowledge_chunks').where({ knowledge_base_id: id }).update({ embedding: null, embedding_model: null });
      });
      if (modelChanged) await index.drop(id);
      if (modelChanged || chunkSize !== current.chunk_size || chunkOverlap !== current.chunk_overlap) await reindex(id);
      return base(workspaceId, id);
    },

    async remove(workspaceId, id) {
      const deleted = await knex('knowledge_bases').where({ workspace_id: workspaceId, id }).delete();
      if (deleted === 0) throw new NotFoundError('knowledge base', id);
      await index.drop(id);
    },

    async addSource(workspaceId, knowledgeBaseId, input: AddSourceInput | FileSourceInput): Promise<KnowledgeSourceRecord> {
      await base(workspaceId, knowledgeBaseId);
      const id = newSourceId();
      const row: Partial<SourceRow> & { content?: Buffer | null } = { id, workspace_id: workspaceId, knowledge_base_id: knowledgeBaseId, status: 'queued' };
      if ('file' in input) {
        if (input.file.data.length > maxFileBytes) throw new PayloadTooLargeError(maxFileBytes);
        if (input.file.data.length === 0) throw new ValidationError(`the file "${input.file.name}" is empty`, [{ code: 'empty_file', message: 'empty file', path: ['file'] }]);
        const format = formatOfFile(input.file.name, input.file.type);
        if (!format) throw new AppError(415, 'unsupported_type', `"${input.file.name}" is not a supported file type: add ${SUPPORTED_FILES} files`);
        Object.assign(row, { kind: 'file', name: input.file.name.slice(0, 200), format, content: input.file.data, bytes: input.file.data.length });
      } else if ('url' in input) {
        Object.assign(row, { kind: 'url', name: input.name || input.url.slice(0, 200), format: 'html', url: input.url, bytes: 0 });
      } else if ('text' in input) {
        const data = Buffer.from(input.text);
        if (data.length > maxFileBytes) throw new PayloadTooLargeError(maxFileBytes);
        Object.assign(row, { kind: 'text', name: input.name || 'Pasted text', format: 'markdown', content: data, bytes: data.length });
      } else {
        const data = Buffer.from(JSON.stringify(input.faq));
        Object.assign(row, { kind: 'faq', name: input.name || `FAQ (${input.faq.length} questions)`, format: 'faq', content: data, bytes: data.length });
      }
      await knex('knowledge_sources').insert(row);
      await queue.ingest({ sourceId: id, workspaceId }, 'new');
      const stored = await knex<SourceRow>('knowledge_sources').where({ id }).first<SourceRow>(SOURCE_COLUMNS);
      return toSource(stored!);
    },

    async listSources(workspaceId, knowledgeBaseId) {
      await base(workspaceId, knowledgeBaseId);
      const rows = await knex<SourceRow>('knowledge_sources').where({ workspace_id: workspaceId, knowledge_base_id: knowledgeBaseId }).orderBy('created_at', 'desc').select<SourceRow[]>(SOURCE_COLUMNS);
      return rows.map(toSource);
    },

    async removeSource(workspaceId, knowledgeBaseId, sourceId) {
      const deleted = await knex('knowledge_sources').where({ workspace_id: workspaceId, knowledge_base_id: knowledgeBaseId, id: sourceId }).delete();
      if (deleted === 0) throw new NotFoundError('source', sourceId);
    },

    async search(workspaceId, knowledgeBase, query, options = {}) {
      const started = performance.now();
      const row = await findBase(knex, workspaceId, knowledgeBase);
      const mode = options.mode ?? 'hybrid';
      const embedder = mode === 'fulltext' ? undefined
        : await embedderFor({ workspaceId, model: row.embedding_model, credentialId: row.embedding_credential_id }, deps.local, deps.provider);
      const vector = embedder ? (await embedder.embed([query], options.signal))[0] : undefined;
      const hits = await searchChunks(knex, index, { id: row.id, model: row.embedding_model, dimension: row.dimension }, {
        query, vector, k: options.k ?? 5, minScore: options.minScore ?? 0, mode,
      });
      return { hits, mode, vectorSearch: (await index.status()).kind, tookMs: Math.round((performance.now() - started) * 10) / 10 };
    },
  };
}
