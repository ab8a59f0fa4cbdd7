import type { TestProject } from 'vitest/node';
import { startPostgres, startRedis, type RunningService } from './services.js';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    redisUrl: string;
    /** The same servers over Unix sockets (the TCP URLs again when they were given from outside). */
    databaseSocketUrl: string;
    redisSocketUrl: string;
  }
}

/** One real Postgres and one real Redis for the whole run; each test file takes its own schema and key prefix. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started: RunningService[] = [];
  let databaseUrl = process.env.TEST_DATABASE_URL;
  let redisUrl = process.env.TEST_REDIS_URL;
  let databaseSocketUrl = databaseUrl;
  let redisSocketUrl = redisUrl;
  if (!databaseUrl) {
    const pg = await startPostgres();
    started.push(pg);
    databaseUrl = pg.url;
    databaseSocketUrl = pg.socketUrl;
  }
  if (!redisUrl) {
    const redis = await startRedis();
    started.push(redis);
    redisUrl = redis.url;
    redisSocketUrl = redis.socketUrl;
  }
  project.provide('databaseUrl', databaseUrl);
  project.provide('redisUrl', redisUrl);
  project.provide('databaseSocketUrl', databaseSocketUrl!);
  project.provide('redisSocketUrl', redisSocketUrl!);
  return async () => {
    for (const service of started.reverse()) await service.stop();
  };
}
