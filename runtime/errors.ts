/**
 * Errors the runtime's services throw for bad requests. The web layer turns each into
 * `{"error":{"code","message","details"}}` with its `status`; anything else becomes a 500 with no
 * stack trace in the body.
 */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown[],
  ) {
    super(message);
  }
}

/** One problem found in a request or a flow document. `nodeId` is set when a node is at fault. */
export interface Problem {
  /** e.g. `unknown_type`, `invalid_props`, `dangling_edge`, `cycle`, `no_trigger`, `duplicate_webhook_path`. */
  code: string;
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** Path inside the document or props, e.g. `["props","url"]`. */
  path?: (string | number)[];
}

export class ValidationError extends AppError {
  override name = 'ValidationError';
  constructor(message: string, readonly problems: Problem[]) {
    super(400, 'validation_failed', message, problems);
  }
}

export class NotFoundError extends AppError {
  override name = 'NotFoundError';
  constructor(what: string, id: string) {
    super(404, 'not_found', `${what} "${id}" was not found`);
  }
}

export class ConflictError extends AppError {
  override name = 'ConflictError';
  constructor(message: string, details?: unknown[]) {
    super(409, 'conflict', message, details);
  }
}

export class UnauthorizedError extends AppError {
  override name = 'UnauthorizedError';
  constructor(message = 'sign in or send an API key as "Authorization: Bearer <key>"') {
    super(401, 'unauthorized', message);
  }
}

export class ForbiddenError extends AppError {
  override name = 'ForbiddenError';
  constructor(message: string) {
    super(403, 'forbidden', message);
  }
}

export class TooManyRequestsError extends AppError {
  override name = 'TooManyRequestsError';
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(429, 'rate_limited', message);
  }
}

/** A store (Redis, Postgres) did not answer in time: the caller should retry after a pause. */
export class ServiceUnavailableError extends AppError {
  override name = 'ServiceUnavailableError';
  constructor(message: string, readonly retryAfterSeconds = 5) {
    super(503, 'unavailable', message);
  }
}

/** Thrown by {@link withTimeout} when the promise did not settle in time. */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/**
 * `promise`, or a {@link TimeoutError} after `ms`. The work itself is not stopped: use it where an
 * answer that arrives late is harmless (a command Redis runs after all, a ping).
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TimeoutError(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
