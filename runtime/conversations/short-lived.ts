import type { Redis } from 'ioredis';
import type { Json, ShortLivedStore } from '@switchyard/sdk';

/** Keys are named by nodes (`otp:sms:+1415…`); a bound on their length keeps Redis keys sane. */
const MAX_KEY_CHARS = 300;
/** Records are small by design (a hash, a count); a bound keeps a misuse from filling Redis. */
const MAX_VALUE_CHARS = 16_384;
/** The longest a record lives. */
const MAX_TTL_MS = 7 * 24 * 3_600_000;

/** INCR that sets the expiry only on creation, so repeated increments do not extend the window. */
const INCREMENT = `
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n`;

function ttlOf(ttlMs: number): number {
  if (!Number.isFinite(ttlMs) || ttlMs < 1) throw new RangeError(`a short-lived record needs a positive lifetime, not ${ttlMs} ms`);
  return Math.min(Math.ceil(ttlMs), MAX_TTL_MS);
}

/**
 * `ctx.channels.shortLived` for one workspace: expiring JSON records in Redis under
 * `<prefix>:sl:<workspaceId>:<key>`, so two workspaces never see each other's keys.
 */
export function createShortLivedStore(redis: Redis, prefix: string, workspaceId: string): ShortLivedStore {
  const keyOf = (key: string) => `${prefix}:sl:${workspaceId}:${key.slice(0, MAX_KEY_CHARS)}`;
  return {
    async put(key, value, ttlMs, options = {}) {
      const text = JSON.stringify(value);
      if (text.length > MAX_VALUE_CHARS) throw new RangeError(`a short-lived record holds at most ${MAX_VALUE_CHARS} characters of JSON`);
      const stored = options.onlyIfAbsent
        ? await redis.set(keyOf(key), text, 'PX', ttlOf(ttlMs), 'NX')
        : await redis.set(keyOf(key), text, 'PX', ttlOf(ttlMs));
      return stored === 'OK';
    },
    async get(key) {
      const text = await redis.get(keyOf(key));
      if (text === null) return null;
      const value: Json = JSON.parse(text);
      return value;
    },
    async ttl(key) {
      const ms = await redis.pttl(keyOf(key));
      return ms < 0 ? null : ms;
    },
    async increment(key, ttlMs) {
      return Number(await redis.eval(INCREMENT, 1, keyOf(key), ttlOf(ttlMs)));
    },
    async delete(key) {
      return (await redis.del(keyOf(key))) > 0;
    },
  };
}
