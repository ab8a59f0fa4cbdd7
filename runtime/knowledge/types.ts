import { z } from 'zod';
import type { KnowledgeHit } from '@switchyard/sdk';

/**
 * Knowledge bases' public contract (decision 033): the zod schemas the API validates with, and the
 * service `app/` calls through `runtime.knowledge`.
 */

/** A provider's embedding model through an AI provider credential; absent = the local model. */
export const embeddingChoice = z.object({
  /** An `ai-provider` credential of the workspace. */
  credentialId: z.string().min(1),
  /** The provider's embedding model, e.g. `text-embedding-3-small`. */
  model: z.string().min(1).max(200),
});
export type EmbeddingChoice = z.infer<typeof embeddingChoice>;

export const createKnowledgeBaseInput = z.object({
  name: z.string().trim().min(1, 'name is required').max(100),
  description: z.string().max(2000).optional(),
  /** Characters per chunk. Default: 1,000. */
  chunkSize: z.number().int().min(100).max(8000).optional(),
  /** Characters neighbouring chunks share. Default: 200. */
  chunkOverlap: z.number().int().min(0).max(4000).optional(),
  /** Default: the local Universal Sentence Encoder (no API key). */
  embedding: embeddingChoice.nullable().optional(),
}).refine((v) => (v.chunkOverlap ?? 200) < (v.chunkSize ?? 1000), { message: 'the overlap (chunkOverlap) must be smaller than the chunk size (chunkSize)', path: ['chunkOverlap'] });
export type CreateKnowledgeBaseInput = z.infer<typeof createKnowledgeBaseInput>;

/** A change of embedding model or chunking re-indexes every source. */
export const updateKnowledgeBaseInput = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(2000).optional(),
  chunkSize: z.number().int().min(100).max(8000).optional(),
  chunkOverlap: z.number().int().min(0).max(4000).optional(),
  /** null switches back to the local model. */
  embedding: embeddingChoice.nullable().optional(),
});
export type UpdateKnowledgeBaseInput = z.infer<typeof updateKnowledgeBaseInput>;

/** A question/answer pair of a FAQ source. */
export const faqPair = z.object({ question: z.string().trim().min(1).max(2000), answer: z.string().trim().min(1).max(20_000) });

/** `POST /api/knowledge-bases/:id/sources` as JSON (files come as multipart). */
export const addSourceInput = z.union([
  z.object({ url: z.string().url().refine((u) => /^https?:/i.test(u), 'only http(s) URLs'), name: z.string().max(200).optional() }).strict(),
  z.object({ text: z.string().min(1, 'text is empty').max(5_000_000), name: z.string().max(200).optional() }).strict(),
  z.object({ faq: z.array(faqPair).min(1, 'give at least one question/answer pair').max(5000), name: z.string().max(200).optional() }).strict(),
]);
export type AddSourceInput = z.infer<typeof addSourceInput>;

/** An uploaded file. */
export interface FileSourceInput {
  file: { name: string; type?: string; data: Buffer };
}

export type SourceStatus = 'queued' | 'processing' | 'ready' | 'failed';

export interface KnowledgeSourceRecord {
  id: string;
  knowledgeBaseId: string;
  kind: 'file' | 'url' | 'text' | 'faq';
  name: string;
  format: string;
  url: string | null;
  bytes: number;
  status: SourceStatus;
  /** 0–1 while processing. */
  progress: number;
  /** Why it failed, in the user's words. */
  error: string | null;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface KnowledgeBaseRecord {
  id: string;
  name: string;
  description: string;
  chunkSize: number;
  chunkOverlap: number;
  embedding: {
    /** `local:universal-sentence-encoder` or `provider:<model>`. */
    model: string;
    credentialId: string | null;
    /** Known once the first vector is made. */
    dimension: number | null;
  };
  sourceCounts: Record<SourceStatus, number>;
  chunkCount: number;
  createdAt: string;
  updatedAt: string;
}

/** How vectors are searched on this database. */
export interface VectorSearchStatus {
  /** `hnsw`: pgvector's index; `exact`: every vector compared (no pgvector). */
  kind: 'hnsw' | 'exact';
  /** Said on the page when exact: what to run to get the index. */
  message?: string;
}

export const searchQuery = z.object({
  q: z.string().trim().min(1, 'q (the question) is required').max(2000),
  /** Default: 5. */
  k: z.coerce.number().int().min(1).max(50).optional(),
  /** Default: hybrid. */
  mode: z.enum(['hybrid', 'vector', 'fulltext']).optional(),
  /** Default: 0. */
  minScore: z.coerce.number().min(0).max(1).optional(),
});
export type SearchQuery = z.infer<typeof searchQuery>;

export interface KnowledgeSearchResult {
  hits: KnowledgeHit[];
  mode: 'hybrid' | 'vector' | 'fulltext';
  vectorSearch: VectorSearchStatus['kind'];
  tookMs: number;
}

export interface KnowledgeService {
  /** Whether this database has pgvector (HNSW) or searches vectors exactly. */
  vectorSearch(): Promise<VectorSearchStatus>;
  /** Largest upload in bytes (413 above it). */
  readonly maxFileBytes: number;
  list(workspaceId: string): Promise<KnowledgeBaseRecord[]>;
  get(workspaceId: string, id: string): Promise<KnowledgeBaseRecord>;
  create(workspaceId: string, input: CreateKnowledgeBaseInput): Promise<KnowledgeBaseRecord>;
  /** Renames, or changes chunking / the embedding model (which clears the vectors and re-indexes every source). */
  update(workspaceId: string, id: string, input: UpdateKnowledgeBaseInput): Promise<KnowledgeBaseRecord>;
  remove(workspaceId: string, id: string): Promise<void>;
  /** Records the source and queues its ingestion; its status shows how that goes. */
  addSource(workspaceId: string, knowledgeBaseId: string, input: AddSourceInput | FileSourceInput): Promise<KnowledgeSourceRecord>;
  listSources(workspaceId: string, knowledgeBaseId: string): Promise<KnowledgeSourceRecord[]>;
  /** Deletes the source and its chunks. */
  removeSource(workspaceId: string, knowledgeBaseId: string, sourceId: string): Promise<void>;
  /** Searches by id or name. */
  search(workspaceId: string, knowledgeBase: string, query: string, options?: { k?: number; minScore?: number; mode?: KnowledgeSearchResult['mode']; signal?: AbortSignal }): Promise<KnowledgeSearchResult>;
}
