/** Longest `Retry-After` a send waits in place before giving the step back to the runtime's retry. Default: 30 s. */
export const MAX_INLINE_RETRY_AFTER_MS = 30_000;

/**
 * Calls `send` and, while the provider answers 429 with a wait of at most `maxWaitMs`, waits that
 * long and calls again (so a rate limit slows a step down instead of failing it). `retryAfter`
 * reads the wait in seconds from a response, or undefined when it is not a 429.
 */
export async function withRetryAfter<T>(
  send: () => Promise<T>,
  retryAfter: (result: T) => number | undefined,
  signal: AbortSignal,
  options: { maxWaitMs?: number; maxTries?: number } = {},
): Promise<T> {
  const maxWaitMs = options.maxWaitMs ?? MAX_INLINE_RETRY_AFTER_MS;
  const maxTries = options.maxTries ?? 5;
  for (let attempt = 1; ; attempt++) {
    const result = await send();
    const seconds = retryAfter(result);
    if (seconds === undefined || attempt >= maxTries || seconds * 1000 > maxWaitMs) return result;
    await sleep(Math.max(seconds, 0.05) * 1000, signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const timer = setTimeout(() => { signal.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(timer); reject(signal.reason); };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
