import type { Redis } from 'ioredis';
import type { AiCapabilities, Json } from '@switchyard/sdk';

/** A cached answer is a model's reply, not a document: bounded so a cache cannot fill Redis. */
const MAX_VALUE_CHARS = 256 * 1024;
/** The longest an answer is kept. */
const MAX_TTL_MS = 30 * 24 * 3_600_000;

/**
 * The AI response cache of one workspace: `<prefix>:aic:<workspaceId>:<key>` in Redis with a TTL.
 * Keys are hashes of the full request (which holds no API key); values are answers.
 */
export function createAiCache(redis: Redis, prefix: string, workspaceId: string): AiCapabilities['cache'] {
  const keyOf = (key: string) => `${prefix}:aic:${workspaceId}:${key.slice(0, 200)}`;
  return {
    async get(key) {
      const text = await redis.get(keyOf(key));
      if (text === null) return null;
      const value: Json = JSON.parse(text);
      return value;
    },
    async put(key, value, ttlMs) {
      const text = JSON.stringify(value);
      if (text.length > MAX_VALUE_CHARS) return;
      await redis.set(keyOf(key), text, 'PX', Math.max(1, Math.min(Math.ceil(ttlMs), MAX_TTL_MS)));
    },
  };
}
