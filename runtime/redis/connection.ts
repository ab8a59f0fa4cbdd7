import { Redis, type RedisOptions } from 'ioredis';

/** Options for {@link createRedisConnection}. */
export interface RedisConnectionOptions {
  /**
   * `'blocking'` for BullMQ workers/queue events (blocking commands must wait forever, so
   * `maxRetriesPerRequest: null`); `'command'` for plain request/response use, where a command
   * should fail after a few retries instead of hanging while Redis is down. Default: `'blocking'`.
   */
  purpose?: 'blocking' | 'command';
  /** Name shown by `CLIENT LIST`, handy when counting connections. Default: none. */
  connectionName?: string;
  /** Extra ioredis options, applied last. Default: none. */
  ioredis?: RedisOptions;
}

/**
 * An ioredis client for `url`. BullMQ requires `maxRetriesPerRequest: null` on connections used by
 * workers; plain command connections keep a small retry budget so health checks and API calls fail
 * fast rather than queueing behind a dead server.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  const purpose = options.purpose ?? 'blocking';
  const base: RedisOptions =
    purpose === 'blocking'
      ? { maxRetriesPerRequest: null, enableReadyCheck: false }
      : { maxRetriesPerRequest: 3, enableOfflineQueue: true, connectTimeout: 5_000 };
  return new Redis(url, {
    ...base,
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
    ...options.ioredis,
  });
}

/** A plain-command connection (fails fast); see {@link createRedisConnection}. */
export function createRedisCommandConnection(url: string, options: Omit<RedisConnectionOptions, 'purpose'> = {}): Redis {
  return createRedisConnection(url, { ...options, purpose: 'command' });
}
