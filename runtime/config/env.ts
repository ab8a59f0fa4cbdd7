import path from 'node:path';

/** Runtime settings from the environment; every option documents its default. */
export interface SwitchyardConfig {
  /** Postgres URL. Default: none → embedded PGlite under `dataDir`. */
  databaseUrl?: string;
  /** Postgres schema (tests use one each). Default: 'public'. */
  databaseSchema: string;
  /** Redis URL. Default: none → a supervised local redis-server. */
  redisUrl?: string;
  /** Prefix of every BullMQ/Redis key (tests use one each). Default: 'sy'. */
  redisPrefix: string;
  /** Embedded data, generated key, redis data. Default: `./.switchyard`. */
  dataDir: string;
  /** 32-byte key, hex or base64. Default: generated under `dataDir` when embedded. */
  encryptionKey?: string;
  /** HTTP port. Default: 3000. */
  port: number;
  /** HTTP host. Default: 127.0.0.1 (embedded) — set 0.0.0.0 in containers. */
  host: string;
  /**
   * Where callers reach this server, for URLs a flow hands out (`$execution.resumeUrl`).
   * Default: `http://HOST:PORT`.
   */
  publicUrl: string;
  /** Hosts/CIDRs outbound HTTP may reach despite the private-address guard. Default: none. */
  outboundAllow: string[];
  /** Concurrent executions per worker process. Default: 20. */
  workerConcurrency: number;
  /** Sandbox host processes per worker. Default: 1. */
  sandboxHosts: number;
  /** Code step CPU limit. Default: 1000 ms. */
  sandboxTimeoutMs: number;
  /** Isolate heap limit. Default: 128 MB. */
  sandboxMemoryMb: number;
  /** BullMQ lock: a killed worker's execution is picked up again after this. Default: 30 000 ms. */
  lockDurationMs: number;
  /** Largest request body accepted. Default: 1 MiB. */
  maxBodyBytes: number;
  /** Calls per minute one caller may make to one webhook path. Default: 120 000. */
  webhookRateLimitPerMinute: number;
  /**
   * Finished executions (with their steps) and inbound events older than this many days are
   * deleted by the workers; 0 keeps everything. Default: 14.
   */
  executionsMaxAgeDays: number;
  /**
   * Steps one execution may run, counting every loop item's steps; past it the execution fails with
   * `too_many_steps` instead of growing a worker's memory without end. 0 means no limit. Default: 100 000.
   */
  executionMaxSteps: number;
  /** pino level. Default: 'info'. */
  logLevel: string;
  ownerEmail?: string;
  ownerPassword?: string;
}

function int(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number.parseInt(value, 10);
  if (!Number.isFinite(parsed)) throw new Error(`expected a whole number, got "${value}"`);
  return parsed;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): SwitchyardConfig {
  const dataDir = path.resolve(env.SWITCHYARD_DATA_DIR ?? '.switchyard');
  return {
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.SWITCHYARD_DB_SCHEMA || 'public',
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.SWITCHYARD_REDIS_PREFIX || 'sy',
    dataDir,
    encryptionKey: env.SWITCHYARD_ENCRYPTION_KEY || undefined,
    port: int(env.PORT, 3000),
    host: env.HOST || '127.0.0.1',
    publicUrl: (env.SWITCHYARD_PUBLIC_URL || `http://${env.HOST || '127.0.0.1'}:${int(env.PORT, 3000)}`).replace(/\/+$/, ''),
    outboundAllow: (env.SWITCHYARD_OUTBOUND_ALLOW ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    workerConcurrency: int(env.SWITCHYARD_WORKER_CONCURRENCY, 20),
    sandboxHosts: int(env.SWITCHYARD_SANDBOX_HOSTS, 1),
    sandboxTimeoutMs: int(env.SWITCHYARD_SANDBOX_TIMEOUT_MS, 1000),
    sandboxMemoryMb: int(env.SWITCHYARD_SANDBOX_MEMORY_MB, 128),
    lockDurationMs: int(env.SWITCHYARD_LOCK_DURATION_MS, 30_000),
    maxBodyBytes: int(env.SWITCHYARD_MAX_BODY_BYTES, 1024 * 1024),
    webhookRateLimitPerMinute: int(env.SWITCHYARD_WEBHOOK_RATE_LIMIT, 120_000),
    executionsMaxAgeDays: int(env.SWITCHYARD_EXECUTIONS_MAX_AGE_DAYS, 14),
    executionMaxSteps: int(env.SWITCHYARD_EXECUTION_MAX_STEPS, 100_000),
    logLevel: env.LOG_LEVEL || 'info',
    ownerEmail: env.SWITCHYARD_OWNER_EMAIL || undefined,
    ownerPassword: env.SWITCHYARD_OWNER_PASSWORD || undefined,
  };
}
