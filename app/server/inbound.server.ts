import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import express, { type Router } from 'express';
import { AppError, ServiceUnavailableError, TooManyRequestsError } from '../../runtime/errors.js';
import type { ChannelAnswer } from '../../runtime/services/types.js';
import type { Runtime } from '../../runtime/types.js';
import { flatHeaders, flatQuery, readBody, writeJson } from './hooks.server.js';

const PREFIX = '/inbound/';

/** Whether a request goes to {@link handleInbound}: a provider's delivery to a channel account. */
export function isInboundRequest(url: string | undefined): boolean {
  return url !== undefined && url.startsWith(PREFIX);
}

/**
 * `ANY /inbound/<credentialId>` on plain Node HTTP, like `/hooks` (decision 001): the inbound gateway
 * (decision 029) verifies the delivery over its raw bytes, records its events and answers the
 * provider; errors are JSON (`{"error":{…}}`), a handshake or acknowledgement exactly what the
 * provider expects.
 */
export async function handleInbound(runtime: Runtime, req: IncomingMessage, res: ServerResponse, maxBodyBytes: number): Promise<void> {
  const given = req.headers['x-request-id'];
  const deliveryId = typeof given === 'string' && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
  res.setHeader('x-request-id', deliveryId);
  res.setHeader('x-content-type-options', 'nosniff');
  try {
    const url = req.url ?? '/';
    const queryAt = url.indexOf('?');
    const pathname = queryAt === -1 ? url : url.slice(0, queryAt);
    const credentialId = decodeURIComponent(pathname.slice(PREFIX.length).replace(/\/+$/, ''));
    if (!credentialId || credentialId.includes('/')) throw new AppError(404, 'not_found', `no inbound account at ${pathname}`);
    const answer = await runtime.inbound.receive({
      credentialId, deliveryId, method: req.method ?? 'GET', pathAndQuery: url, headers: flatHeaders(req),
      query: queryAt === -1 ? {} : flatQuery(url.slice(queryAt + 1)), rawBody: await readBody(req, maxBodyBytes),
    });
    writeAnswer(res, answer);
  } catch (error) {
    if (error instanceof AppError) {
      if (error instanceof TooManyRequestsError || error instanceof ServiceUnavailableError) res.setHeader('retry-after', String(error.retryAfterSeconds));
      writeJson(res, error.status, { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } });
      return;
    }
    if (error instanceof URIError) {
      writeJson(res, 404, { error: { code: 'not_found', message: 'no inbound account at this address' } });
      return;
    }
    runtime.log.error({ err: error, method: req.method, deliveryId }, 'inbound delivery failed');
    writeJson(res, 500, { error: { code: 'internal', message: 'internal error' } });
  }
}

/** The provider's answer as the handler wrote it (a handshake's challenge is the exact body). */
function writeAnswer(res: ServerResponse, answer: ChannelAnswer): void {
  for (const [name, value] of Object.entries(answer.headers)) {
    if (!['content-length', 'transfer-encoding', 'connection', 'set-cookie'].includes(name.toLowerCase())) res.setHeader(name, value);
  }
  res.setHeader('content-security-policy', 'sandbox');
  res.statusCode = answer.status;
  if (answer.body && !res.hasHeader('content-type')) res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.end(answer.body);
}

/** The same for the express app used alone (normally the server hands `/inbound/*` over before express). */
export function inboundRouter(runtime: Runtime, options: { maxBodyBytes: number }): Router {
  const router = express.Router();
  router.all('*', (req, res) => {
    // Express strips the mount path from `req.url`; the handler reads the URL the provider called.
    req.url = req.originalUrl;
    void handleInbound(runtime, req, res, options.maxBodyBytes);
  });
  return router;
}
