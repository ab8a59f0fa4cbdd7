import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { GuardedHttpClient } from '../net/index.js';
import { chunkSections, embeddingText, type ChunkDraft } from './chunk.js';
import { embedderFor, type ProviderEmbedderFactory } from './embedders.js';
import { SourceError } from './errors.js';
import { extractSections, formatOfContentType, type SourceFormat } from './extract.js';
import type { LocalEmbedder } from './local-embedder.js';
import { vectorLiteral } from './search.js';
import { setSource, type BaseRow, type SourceRow } from './store.js';
import type { VectorIndex } from './vector-index.js';
import { formatBytes } from './zip-guard.js';

/** What ingesting a source needs. */
export interface IngestDeps {
  knex: Knex;
  http: GuardedHttpClient;
  local: LocalEmbedder;
  provider?: ProviderEmbedderFactory;
  index: VectorIndex;
  log: Logger;
  /** Largest web page fetched for a URL source. */
  maxFileBytes: number;
  /** How long a URL source's page may take to load. Default: 30 000 ms. */
  fetchTimeoutMs?: number;
}

/** The job was overtaken: the source was deleted or its base's model changed (a newer job re-does it). */
class Superseded extends Error {}

/** Share of the progress bar extraction takes (the rest is embedding). */
const EXTRACT_SHARE = 0.2;

/**
 * Ingests one source: fetch (URL) or read (upload), extract, chunk, embed in batches, store. Its
 * progress is written as it goes; a {@link SourceError} marks it failed with the reason; any other
 * error propagates so the queue retries it.
 */
export async function ingestSource(deps: IngestDeps, sourceId: string): Promise<void> {
  const { knex } = deps;
  const source = await knex<SourceRow & { content: Uint8Array | null }>('knowledge_sources').where({ id: sourceId }).first();
  if (!source) return;
  const base = await knex<BaseRow>('knowledge_bases').where({ id: source.knowledge_base_id }).first();
  if (!base) return;
  try {
    await setSource(knex, sourceId, { status: 'processing', progress: 0, error: null });
    const { format, data } = await loadContent(deps, source);
    const sections = await extractSections(format, data, {
      onPage: (done, total) => { if (done % 10 === 0) void setSource(knex, sourceId, { progress: EXTRACT_SHARE * (done / total) }); },
    });
    const chunks = await chunkSections(sections, { chunkSize: base.chunk_size, chunkOverlap: base.chunk_overlap });
    if (chunks.length === 0) throw new SourceError('no text found in this source');
    await setSource(knex, sourceId, { progress: EXTRACT_SHARE });
    await storeChunks(deps, base, sourceId, chunks);
    await knex('knowledge_sources').where({ id: sourceId }).update({ status: 'ready', progress: 1, chunk_count: chunks.length, error: null, updated_at: knex.fn.now() });
  } catch (error) {
    if (error instanceof Superseded) return;
    if (error instanceof SourceError) {
      await knex('knowledge_chunks').where({ source_id: sourceId }).delete();
      await setSource(knex, sourceId, { status: 'failed', error: error.message, chunk_count: 0 });
      return;
    }
    throw error;
  }
}

async function loadContent(deps: IngestDeps, source: SourceRow & { content: Uint8Array | null }): Promise<{ format: SourceFormat; data: Buffer }> {
  if (source.kind !== 'url') {
    if (!source.content) throw new SourceError('the uploaded content is missing');
    // PGlite hands bytea back as a plain Uint8Array; the extractors read Buffers.
    return { format: source.format as SourceFormat, data: Buffer.from(source.content) };
  }
  const timeoutMs = deps.fetchTimeoutMs ?? 30_000;
  let response;
  try {
    response = await deps.http.request({ url: source.url!, timeoutMs, maxBytes: deps.maxFileBytes, headers: { accept: 'text/html, text/plain, text/markdown, application/pdf;q=0.9, */*;q=0.5' } });
  } catch (error) {
    const message = (error as Error).message;
    if (/timed? ?out|timeout/i.test(message)) throw new SourceError(`the page did not finish loading within ${timeoutMs / 1000} s`);
    if (/larger|too large|maxBytes|exceed/i.test(message)) throw new SourceError(`the page is larger than ${formatBytes(deps.maxFileBytes)}`);
    throw new SourceError(`the page could not be fetched: ${message}`);
  }
  if (response.status >= 400) throw new SourceError(`the page answered HTTP ${response.status}`);
  const format = formatOfContentType(response.headers['content-type']) ?? 'html';
  return { format, data: Buffer.from(response.body) };
}

/** Replaces the source's chunks, a batch of vectors at a time; inserts only while the base still has this model. */
async function storeChunks(deps: IngestDeps, base: BaseRow, sourceId: string, chunks: ChunkDraft[]): Promise<void> {
  const { knex } = deps;
  const embedder = await embedderFor({ workspaceId: base.workspace_id, model: base.embedding_model, credentialId: base.embedding_credential_id }, deps.local, deps.provider);
  await knex('knowledge_chunks').where({ source_id: sourceId }).delete();
  let dimension = base.dimension;
  for (let start = 0; start < chunks.length; start += embedder.batchSize) {
    const batch = chunks.slice(start, start + embedder.batchSize);
    const vectors = await embedder.embed(batch.map(embeddingText));
    const size = vectors[0]?.length ?? 0;
    if (dimension === null) {
      // A provider model's first answer fixes the base's dimension (and its index).
      await knex('knowledge_bases').where({ id: base.id }).whereNull('dimension').update({ dimension: size });
      dimension = (await knex<BaseRow>('knowledge_bases').where({ id: base.id }).first())?.dimension ?? size;
    }
    if (vectors.some((v) => v.length !== dimension)) throw new SourceError(`the embedding model answered ${size}-dimension vectors, but this knowledge base holds ${dimension}-dimension ones`);
    if (start === 0) await deps.index.ensure(base.id, dimension);
    const values = batch.map((chunk, i) => [chunk.position, chunk.headings, chunk.text, vectorLiteral(vectors[i]!)]);
    let inserted: number;
    try {
      const result = await knex.raw(
        `insert into knowledge_chunks (knowledge_base_id, source_id, position, headings, text, embedding, embedding_model)
         select ?, ?, v.position, v.headings, v.text, v.embedding, ? from jsonb_to_recordset(?::jsonb) as v(position int, headings text[], text text, embedding real[])
         where exists (select 1 from knowledge_bases where id = ? and embedding_model = ?) and exists (select 1 from knowledge_sources where id = ?)`,
        [base.id, sourceId, embedder.model, JSON.stringify(values.map(([position, headings, text, embedding]) => ({ position, headings, text, embedding }))), base.id, embedder.model, sourceId],
      );
      inserted = result.rowCount ?? result.affectedRows ?? batch.length;
    } catch (error) {
      // Deleted while we embedded: its chunks went with it (foreign key).
      if ((error as { code?: string }).code === '23503') throw new Superseded();
      throw error;
    }
    if (inserted === 0) throw new Superseded();
    const done = Math.min(chunks.length, start + batch.length);
    await setSource(knex, sourceId, { progress: EXTRACT_SHARE + (1 - EXTRACT_SHARE) * (done / chunks.length), chunk_count: done });
  }
}
