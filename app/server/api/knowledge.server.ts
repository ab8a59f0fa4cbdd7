import type { Request } from 'express';
import { z } from 'zod';
import { addSourceInput, createKnowledgeBaseInput, searchQuery, updateKnowledgeBaseInput } from '../../../runtime/index.js';
import { AppError } from '../../../runtime/errors.js';
import type { Runtime } from '../../../runtime/types.js';
import { validationError, zodIssues } from '../errors.server.js';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'knowledge';

const sourceParams = z.object({ id: z.string().min(1).max(200), sourceId: z.string().min(1).max(200) });

/** Room for the multipart envelope around the largest file. */
const MULTIPART_OVERHEAD = 64 * 1024;

function tooLarge(runtime: Runtime): AppError {
  const mb = Math.round((runtime.knowledge.maxFileBytes / (1024 * 1024)) * 10) / 10;
  return new AppError(413, 'too_large', `files up to ${mb} MB can be added to a knowledge base`);
}

/** The raw request body, refused with a 413 naming the limit as soon as it passes it (the rest is not read). */
async function readBody(req: Request, runtime: Runtime): Promise<Buffer> {
  const limit = runtime.knowledge.maxFileBytes + MULTIPART_OVERHEAD;
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(runtime);
  const parts: Buffer[] = [];
  let size = 0;
  for await (const part of req as AsyncIterable<Buffer>) {
    size += part.length;
    if (size > limit) throw tooLarge(runtime);
    parts.push(part);
  }
  return Buffer.concat(parts);
}

/** A multipart upload: the `file` field (and an optional `name`). */
async function readUpload(req: Request, runtime: Runtime): Promise<{ file: { name: string; type?: string; data: Buffer } }> {
  const body = await readBody(req, runtime);
  let form: FormData;
  try {
    form = await new Response(new Uint8Array(body), { headers: { 'content-type': req.get('content-type') ?? '' } }).formData();
  } catch {
    throw new AppError(400, 'invalid_multipart', 'the upload is not valid multipart/form-data');
  }
  const file = form.get('file');
  if (!file || typeof file === 'string') throw new AppError(400, 'missing_file', 'send the document in a multipart field named "file"');
  return { file: { name: file.name || 'upload', ...(file.type ? { type: file.type } : {}), data: Buffer.from(await file.arrayBuffer()) } };
}

export const knowledgeRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/knowledge-bases', tag, summary: 'Knowledge bases with their sources\' counts by status and their chunk counts' },
    async ({ runtime, principal }) => ({ body: await runtime.knowledge.list(principal.workspaceId) })),

  defineRoute({ method: 'get', path: '/knowledge-bases/vector-search', tag, summary: 'Whether vectors are searched with pgvector\'s HNSW index or exactly (and what to run to get the index)' },
    async ({ runtime }) => ({ body: await runtime.knowledge.vectorSearch() })),

  defineRoute({ method: 'post', path: '/knowledge-bases', tag, status: 201, body: createKnowledgeBaseInput, bodyName: 'KnowledgeBaseInput',
    summary: 'Create a knowledge base (chunk size 1,000 / overlap 200 by default; the local embedding model unless a provider model is given); 409 if the name is taken' },
  async ({ runtime, principal, body }) => ({ status: 201, body: await runtime.knowledge.create(principal.workspaceId, body) })),

  defineRoute({ method: 'get', path: '/knowledge-bases/:id', tag, params: idParams, summary: 'One knowledge base' },
    async ({ runtime, principal, params }) => ({ body: await runtime.knowledge.get(principal.workspaceId, params.id) })),

  defineRoute({ method: 'patch', path: '/knowledge-bases/:id', tag, params: idParams, body: updateKnowledgeBaseInput,
    summary: 'Rename, or change chunking or the embedding model: the latter two re-index every source (old vectors are dropped first, never mixed)' },
  async ({ runtime, principal, params, body }) => ({ body: await runtime.knowledge.update(principal.workspaceId, params.id, body) })),

  defineRoute({ method: 'delete', path: '/knowledge-bases/:id', tag, status: 204, params: idParams, summary: 'Delete a knowledge base with its sources and chunks' },
    async ({ runtime, principal, params }) => {
      await runtime.knowledge.remove(principal.workspaceId, params.id);
      return { status: 204 };
    }),

  defineRoute({ method: 'get', path: '/knowledge-bases/:id/sources', tag, params: idParams, summary: 'Sources, newest first, with status, progress and the reason of a failure' },
    async ({ runtime, principal, params }) => ({ body: await runtime.knowledge.listSources(principal.workspaceId, params.id) })),

  defineRoute({
    method: 'post', path: '/knowledge-bases/:id/sources', tag, status: 201, params: idParams, body: addSourceInput, validateBody: false, bodyName: 'KnowledgeSourceInput',
    summary: 'Add a source: multipart/form-data with a "file" (PDF, DOCX, TXT, Markdown, HTML, CSV; 413 over the size limit, 415 other types), or JSON { url } | { text } | { faq: [{ question, answer }] }. Ingestion runs in the background',
  }, async ({ runtime, principal, params, req }) => {
    let input;
    if ((req.get('content-type') ?? '').toLowerCase().startsWith('multipart/form-data')) {
      input = await readUpload(req, runtime);
    } else {
      const parsed = addSourceInput.safeParse(req.body);
      if (!parsed.success) throw validationError(zodIssues(parsed.error, 'body'));
      input = parsed.data;
    }
    return { status: 201, body: await runtime.knowledge.addSource(principal.workspaceId, params.id, input) };
  }),

  defineRoute({ method: 'delete', path: '/knowledge-bases/:id/sources/:sourceId', tag, status: 204, params: sourceParams, summary: 'Delete a source and its chunks' },
    async ({ runtime, principal, params }) => {
      await runtime.knowledge.removeSource(principal.workspaceId, params.id, params.sourceId);
      return { status: 204 };
    }),

  defineRoute({ method: 'get', path: '/knowledge-bases/:id/search', tag, params: idParams, query: searchQuery,
    summary: 'Hybrid search (vector + full text, reciprocal rank fusion): ranked chunks with score, cosine similarity and citation' },
  async ({ runtime, principal, params, query }) => ({
    body: await runtime.knowledge.search(principal.workspaceId, params.id, query.q, { k: query.k, mode: query.mode, minScore: query.minScore }),
  })),
];
