/**
 * A small in-memory sliding-window rate limiter: at most `limit` hits per key within the last
 * `windowMs`. Used for failed logins and reusable for webhooks. It is per process on purpose: the
 * limits it enforces are abuse brakes, not quotas, so a few extra attempts across several web
 * processes are acceptable and need no Redis round trip on the hot path.
 */

export interface RateLimiterOptions {
  /** Hits allowed per key within the window. */
  limit: number;
  /** Window length in milliseconds. */
  windowMs: number;
  /**
   * Keys remembered at once; when full, the key touched longest ago is forgotten so an attacker
   * spraying keys cannot grow memory without bound. Default: 10 000.
   */
  maxKeys?: number;
  /** Clock, for tests. Default: `Date.now`. */
  now?: () => number;
}

export interface RateLimitState {
  /** False once the key has used up the window. */
  allowed: boolean;
  /** Hits left in the current window (0 when refused). */
  remaining: number;
  /** Seconds until the oldest hit leaves the window (0 when allowed). */
  retryAfterSeconds: number;
}

export interface RateLimiter {
  /** Looks at the key without counting a hit (e.g. before checking a password). */
  check(key: string): RateLimitState;
  /** Counts a hit if the key is still allowed; `remaining` is what is left after this hit. */
  consume(key: string): RateLimitState;
  /** Counts a hit unconditionally (e.g. a failed login). */
  record(key: string): void;
  /** Forgets the key (e.g. after a successful login). */
  reset(key: string): void;
  /** Keys currently remembered (for tests and metrics). */
  size(): number;
}

export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { limit, windowMs } = options;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  if (!(limit >= 1) || !(windowMs > 0)) throw new Error('rate limiter needs limit >= 1 and windowMs > 0');
  /** Key → hit timestamps, oldest first. Map order doubles as "least recently touched first". */
  const hits = new Map<string, number[]>();

  function current(key: string, at: number): number[] {
    const list = hits.get(key);
    if (!list) return [];
    const cutoff = at - windowMs;
    let drop = 0;
    while (drop < list.length && list[drop]! <= cutoff) drop += 1;
    if (drop > 0) list.splice(0, drop);
    if (list.length === 0) hits.delete(key);
    return list;
  }

  function state(list: number[], at: number): RateLimitState {
    if (list.length < limit) return { allowed: true, remaining: limit - list.length, retryAfterSeconds: 0 };
    // The window frees a slot when the hit `limit` places back from the newest expires.
    const freesAt = list[list.length - limit]! + windowMs;
    return { allowed: false, remaining: 0, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - at) / 1000)) };
  }

  function add(key: string, at: number): void {
    const list = current(key, at);
    list.push(at);
    // Re-insert so the Map's order tracks recency, then evict from the front when over capacity.
    hits.delete(key);
    hits.set(key, list.length > limit ? list.slice(-limit) : list);
    while (hits.size > maxKeys) {
      const oldest = hits.keys().next().value;
      if (oldest === undefined) break;
      hits.delete(oldest);
    }
  }

  return {
    check(key) {
      const at = now();
      return state(current(key, at), at);
    },
    consume(key) {
      const at = now();
      const before = state(current(key, at), at);
      if (!before.allowed) return before;
      add(key, at);
      return { ...before, remaining: before.remaining - 1 };
    },
    record(key) {
      add(key, now());
    },
    reset(key) {
      hits.delete(key);
    },
    size() {
      return hits.size;
    },
  };
}
