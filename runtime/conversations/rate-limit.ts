import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Reserves the next send slot of a key and returns how long to wait for it (microseconds). The key
 * holds the time the next slot opens (GCRA with no burst): each call takes that slot and moves it on
 * by one interval, so sends are spaced evenly across every worker and no caller ever retries. Redis's
 * own clock is used, so workers whose clocks differ still agree.
 */
const RESERVE = `
local now = redis.call('TIME')
local nowUs = tonumber(now[1]) * 1000000 + tonumber(now[2])
local interval = tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < nowUs then slot = nowUs end
local nextSlot = slot + interval
redis.call('SET', KEYS[1], string.format('%.0f', nextSlot), 'PX', math.ceil((nextSlot - nowUs) / 1000) + 1000)
return slot - nowUs`;

/** The script's SHA-1: sends run it by EVALSHA, so Redis neither receives nor hashes its text on every send. */
const RESERVE_SHA = createHash('sha1').update(RESERVE).digest('hex');

/** Keys are named after the account (and chat) they limit; a bound on their length keeps Redis keys sane. */
const MAX_KEY_CHARS = 300;

/**
 * A rate limit shared by every process through Redis (`ctx.channels.acquire`): at most `perSecond`
 * slots per key, evenly spaced. Waiting is the caller's: it never fails for being over the limit,
 * only when `signal` aborts (the step timed out or the execution was cancelled).
 */
export class SharedRateLimiter {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}

  async acquire(key: string, perSecond: number, signal?: AbortSignal): Promise<void> {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) return;
    signal?.throwIfAborted();
    const intervalUs = Math.max(1, Math.floor(1_000_000 / perSecond));
    const waitUs = Number(await this.reserve(`${this.prefix}:rl:${key.slice(0, MAX_KEY_CHARS)}`, intervalUs));
    if (waitUs <= 0) return;
    await sleep(Math.ceil(waitUs / 1000), signal);
  }

  /** EVALSHA, and EVAL once when this Redis does not have the script cached yet (a restart, SCRIPT FLUSH). */
  private async reserve(key: string, intervalUs: number): Promise<unknown> {
    try {
      return await this.redis.evalsha(RESERVE_SHA, 1, key, intervalUs);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.redis.eval(RESERVE, 1, key, intervalUs);
    }
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    // Aborted during the round trip to Redis: the abort event has already fired.
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
