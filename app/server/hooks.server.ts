import express, { type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Json } from '@switchyard/sdk';
import { AppError } from '../../runtime/errors.js';
import type { InboundRequest, OutboundResponse } from '../../runtime/services/types.js';
import type { Runtime } from '../../runtime/types.js';

export interface HooksOptions {
  /** Largest webhook body; larger ones get 413. */
  maxBodyBytes: number;
}

function flatHeaders(req: Request): Record<string, string | undefined> {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** First value of each query parameter, straight from the URL (no nested-object parsing). */
function flatQuery(req: Request): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URL(req.originalUrl, 'http://localhost').searchParams) {
    if (!(key in query)) query[key] = value;
  }
  return query;
}

function rawBody(req: Request): Buffer {
  return Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
}

/** Response headers a flow may not set: framing is ours, and cookies on the app's origin are refused. */
const DROPPED_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'set-cookie']);

/** Writes the runtime's answer: JSON unless the body is a string and the flow set a non-JSON content type. */
export function writeOutbound(res: Response, out: OutboundResponse): void {
  let contentType: string | undefined;
  for (const [name, value] of Object.entries(out.headers ?? {})) {
    const lower = name.toLowerCase();
    if (DROPPED_HEADERS.has(lower)) continue;
    if (lower === 'content-type') contentType = value;
    res.setHeader(name, value);
  }
  // Webhook bodies may echo caller input; on the app's own origin they must never run as a page.
  res.setHeader('content-security-policy', 'sandbox');
  res.status(out.status);
  if (out.status === 204 || out.status === 304 || out.status < 200) {
    res.end();
    return;
  }
  if (typeof out.body === 'string' && contentType && !/\bjson\b/i.test(contentType)) {
    res.send(out.body);
    return;
  }
  if (!contentType) res.setHeader('content-type', 'application/json; charset=utf-8');
  res.send(JSON.stringify(out.body));
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
  // Signatures are computed over the exact bytes, so the body is kept raw whatever its type.
  router.use(express.raw({ type: () => true, limit: options.maxBodyBytes }));

  router.post('/resume/:token', (req, res, next) => {
    runtime.executions.resume(req.params.token ?? '', resumePayload(req))
      .then((result) => { res.status(202).json(result); }, next);
  });

  const handle: RequestHandler = (req, res, next) => {
    const inbound: InboundRequest = {
      clientIp: req.ip,
      method: req.method,
      path: req.path.replace(/^\/+/, ''),
      headers: flatHeaders(req),
      query: flatQuery(req),
      rawBody: rawBody(req),
    };
    runtime.webhooks.handle(inbound).then((out) => writeOutbound(res, out), next);
  };
  router.all('*', handle);
  return router;
}
