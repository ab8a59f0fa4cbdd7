import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type SwitchyardConfig } from '../config/env.js';

/**
 * A config for one test file: the shared test Postgres and Redis, with a schema and a key prefix of
 * its own so files running side by side never see each other's rows or jobs.
 */
export function testConfig(overrides: Partial<SwitchyardConfig> = {}): SwitchyardConfig {
  const unique = `t_${randomBytes(5).toString('hex')}`;
  return {
    ...loadConfig({}),
    databaseUrl: inject('databaseUrl'),
    databaseSchema: unique,
    redisUrl: inject('redisUrl'),
    redisPrefix: unique,
    encryptionKey: randomBytes(32).toString('hex'),
    logLevel: 'silent',
    lockDurationMs: 5_000,
    // Tests date rows freely; workers must not prune them mid-file (retention.test.ts tests pruning).
    executionsMaxAgeDays: 0,
    ...overrides,
  };
}
