/**
 * Errors a node throws. The runtime retries a failed step (per the node's `settings.retry`) unless the
 * error is a {@link NonRetryableError}: bad props, a 4xx from a provider, a deliberate stop.
 */
export class NodeError extends Error {
  override name = 'NodeError';
  /** Machine-readable code shown beside the message, e.g. `http_status`, `timeout`. */
  readonly code: string;
  /** Extra JSON-safe detail recorded on the step (never secrets). */
  readonly details?: unknown;
  constructor(message: string, options: { code?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.code = options.code ?? 'node_error';
    this.details = options.details;
  }
}

/** A failure that retrying cannot fix. The step fails at once, whatever `settings.retry` says. */
export class NonRetryableError extends NodeError {
  override name = 'NonRetryableError';
}

/** Thrown by the Stop-with-error node and by `ctx.signal` aborts when an execution is cancelled. */
export class StopError extends NonRetryableError {
  override name = 'StopError';
}

export function isRetryable(error: unknown): boolean {
  return !(error instanceof NonRetryableError);
}
