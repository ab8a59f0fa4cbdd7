import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { AppError, ServiceUnavailableError, TooManyRequestsError } from '../../runtime/errors.js';
import { isUnstorableValueError } from '../../runtime/index.js';
import type { Runtime } from '../../runtime/types.js';

/** The error body every non-2xx JSON response uses (DESIGN §6). */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown[] };
}

export function errorBody(code: string, message: string, details?: unknown[]): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

export function sendError(res: Response, status: number, code: string, message: string, details?: unknown[]): void {
  if (res.headersSent) return;
  res.status(status).json(errorBody(code, message, details));
}

/** One entry of a `validation_failed` error's details. */
export interface IssueDetail {
  path: (string | number)[];
  message: string;
}

/** Every issue of a zod failure, its path prefixed with where it was found (`body`, `query`, `params`). */
export function zodIssues(error: z.ZodError, where: string): IssueDetail[] {
  return error.issues.map((issue) => ({
    path: [where, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))],
    message: issue.message,
  }));
}

/** Issues as a 400 naming every one, so a client can fix all of them in one go. */
export function validationError(issues: IssueDetail[]): AppError {
  return new AppError(400, 'validation_failed', 'invalid request', issues);
}

const requestIds = new WeakMap<Request, string>();

/** The request's id: the caller's `X-Request-Id` when it looks sane, otherwise a fresh UUID. */
export function requestId(req: Request): string {
  let id = requestIds.get(req);
  if (!id) {
    const given = req.get('x-request-id');
    id = given && /^[A-Za-z0-9._:-]{1,100}$/.test(given) ? given : randomUUID();
    requestIds.set(req, id);
  }
  return id;
}

/** Tags every response with its request id (the key to find a 500 in the logs). */
export const requestIdMiddleware: RequestHandler = (req, res, next) => {
  res.setHeader('x-request-id', requestId(req));
  next();
};

/** What body-parser (via express.json/raw) puts on the errors it throws. */
/** For a value Postgres refused that no check caught first: it says what, without echoing it. */
export const unstorableMessage = 'the request has a value that cannot be stored: a NUL character (\\u0000), an unpaired surrogate or nesting deeper than Postgres allows';

interface BodyParserError {
  type: string;
  status?: number;
  statusCode?: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return typeof error === 'object' && error !== null && typeof (error as { type?: unknown }).type === 'string'
    && typeof ((error as { status?: unknown }).status ?? (error as { statusCode?: unknown }).statusCode) === 'number';
}

/**
 * The last middleware: `AppError`s keep their status and code; body parsing failures become 400/413/415;
 * anything else is a 500 whose details go to the log only, never to the client.
 */
export function errorMiddleware(runtime: Runtime, maxBodyBytes: number): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof AppError) {
      if (error instanceof TooManyRequestsError || error instanceof ServiceUnavailableError) res.setHeader('retry-after', String(error.retryAfterSeconds));
      sendError(res, error.status, error.code, error.message, error.details);
      return;
    }
    if (isBodyParserError(error)) {
      const status = error.status ?? error.statusCode ?? 400;
      if (error.type === 'entity.too.large') {
        sendError(res, 413, 'payload_too_large', `request body is larger than ${maxBodyBytes} bytes`);
        return;
      }
      if (error.type === 'entity.parse.failed') {
        sendError(res, 400, 'invalid_json', 'request body is not valid JSON (an object or array is expected)');
        return;
      }
      if (error.type === 'encoding.unsupported' || error.type === 'charset.unsupported') {
        sendError(res, 415, 'unsupported_encoding', 'request body encoding or charset is not supported');
        return;
      }
      if (status >= 400 && status < 500) {
        sendError(res, status, 'bad_request', 'request body could not be read');
        return;
      }
    }
    if (error instanceof URIError) {
      // Express could not percent-decode a path segment (e.g. `%E0`, a lone `%`).
      sendError(res, 400, 'bad_request', 'the URL has a malformed percent-encoding (%XX)');
      return;
    }
    if (isUnstorableValueError(error)) {
      sendError(res, 400, 'validation_failed', unstorableMessage);
      return;
    }
    runtime.log.error({ err: error, requestId: requestId(req), method: req.method, path: req.path }, 'request failed');
    sendError(res, 500, 'internal', 'internal error');
  };
}
