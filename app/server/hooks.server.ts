import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Json } from '@switchyard/sdk';
import { AppError, ServiceUnavailableError, TooManyRequestsError } from '../../runtime/errors.js';
import { isUnstorableValueError } from '../../runtime/index.js';
import { unstorableMessage } from './errors.server.js';
import type { InboundRequest, OutboundResponse } from '../../runtime/services/types.js';
import type { Runtime } from '../../runtime/types.js';

export interface HooksOptions {
  /** Largest webhook body; larger ones get 413. */
  maxBodyBytes: number;
}

export function flatHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** First value of each query parameter, straight from the URL (no nested-object parsing). */
export function flatQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (!(key in query)) query[key] = value;
  }
  return query;
}

function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** Reads the exact request bytes (signatures are computed over them), refusing more than `limit`. */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      reject(new AppError(413, 'payload_too_large', `request body is larger than ${limit} bytes`));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new AppError(413, 'payload_too_large', `request body is larger than ${limit} bytes`));
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * `ANY /hooks/<path>` on plain Node HTTP: the hot path of the product, so it skips express
 * entirely (routing, middleware, body parser) — docs/decisions/001. Errors are answered here.
 */
export async function handleHook(runtime: Runtime, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  const given = req.headers['x-request-id'];
  res.setHeader('x-request-id', typeof given === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID());
  res.setHeader('x-content-type-options', 'nosniff');
  try {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const inbound: InboundRequest = {
      clientIp: req.socket.remoteAddress,
      method: req.method ?? 'GET',
      path: pathname.replace(/^\/hooks\/+/, ''),
      headers: flatHeaders(req),
      query: queryAt === -1 ? {} : flatQuery(url.slice(queryAt + 1)),
      rawBody: await readBody(req, maxBodyBytes),
    };
    writeOutbound(res, await runtime.webhooks.handle(inbound));
  } catch (error) {
    if (error instanceof AppError) {
      if (error instanceof TooManyRequestsError || error instanceof ServiceUnavailableError) res.setHeader('retry-after', String(error.retryAfterSeconds));
      writeJson(res, error.status, { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
      return;
    }
    if (isUnstorableValueError(error)) {
      writeJson(res, 400, { error: { code: 'validation_failed', message: unstorableMessage } });
      return;
    }
    runtime.log.error({ err: error, method: req.method, url: req.url }, 'webhook request failed');
    writeJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
  }
}

export function writeJson(res: ServerResponse, status: number, body: object): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(body));
}

/** Whether a request goes to {@link handleHook} (everything under /hooks/ but resume URLs). */
export function isHookRequest(url: string | undefined): boolean {
  return url !== undefined && url.startsWith('/hooks/') && !url.startsWith('/hooks/resume/');
}

/** Response headers a flow may not set: framing is ours, and cookies on the app's origin are refused. */
const DROPPED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'set-cookie']);

/** Writes the runtime's answer: JSON unless the body is a string and the flow set a non-JSON content type. */
export function writeOutbound(res: ServerResponse, out: OutboundResponse): void {
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(out.headers ?? {})) {
    const lower = name.toLowerCase();
    if (DROPPED_HEADERS.has(lower)) continue;
    if (lower === 'content-type') contentType = value;
    res.setHeader(name, value);
  }
  // Webhook bodies may echo caller input; on the app's own origin they must never run as a page.
  res.setHeader('content-security-policy', 'sandbox');
  res.statusCode = out.status;
  if (out.status === 204 || out.status === 304 || out.status < 200) {
    res.end();
    return;
  }
  if (typeof out.body === 'string' && contentType && !/\bjson\b/i.test(contentType)) {
    res.end(out.body);
    return;
  }
  if (!contentType) res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify(out.body));
}

/** The resume payload: JSON, a form, or text; an empty body resumes with `{}`. */
function resumePayload(req: Request): Json {
  const body = rawBody(req);
  if (body.length === 0) return {};
  const type = req.get('content-type') ?? '';
  const text = body.toString('utf8');
  if (/\bjson\b/i.test(type)) {
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw new AppError(400, 'invalid_json', 'request body is not valid JSON');
    }
  }
  if (/application\/x-www-form-urlencoded/i.test(type)) return Object.fromEntries(new URLSearchParams(text));
  return text;
}

/** `/hooks/resume/:token` (the Wait node's resume URL) and `ANY /hooks/*` (webhook triggers). */
export function hooksRouter(runtime: Runtime, options: HooksOptions): Router {
  const router = express.Router();
  // The resume payload is read raw (JSON, form or text), within the body limit.
  router.post('/resume/:token', express.raw({ type: () => true, limit: options.maxBodyBytes }), (req, res, next) => {
    runtime.executions.resume(req.params.token ?? '', resumePayload(req))
      .then((result) => { res.status(202).json(result); }, next);
  });

  // Normally the server hands /hooks/* to handleHook before express; this covers the express app used alone.
  const handle: RequestHandler = (req, res) => {
    void handleHook(runtime, req, res, options.maxBodyBytes);
  };
  router.all('*', handle);
  return router;
}
