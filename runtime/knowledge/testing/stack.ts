import { afterAll } from 'vitest';
import type { SwitchyardConfig } from '../../config/env.js';
import { openDatabase, type Database } from '../../db/knex.js';
import { createHttpClient } from '../../net/index.js';
import { createLogger } from '../../observability/logger.js';
import { createRedisConnection } from '../../redis/index.js';
import { KnowledgeQueue, KnowledgeWorker } from '../queue.js';
import { createKnowledgeService } from '../service.js';
import type { KnowledgeService } from '../types.js';
import { LocalEmbedder } from '../local-embedder.js';
import { VectorIndex } from '../vector-index.js';

export const WS = 'default';

/** The knowledge stack on a test database and Redis, as `createRuntime` wires it, with its limits open to tests. */
export interface KnowledgeStack {
  db: Database;
  service: KnowledgeService;
  local: LocalEmbedder;
  index: VectorIndex;
}

/**
 * Real Postgres (or PGlite when `config.databaseUrl` is unset), real Redis/BullMQ, the real local
 * model process and the guarded HTTP client allowing 127.0.0.1; closed after the file.
 */
export async function startKnowledgeStack(config: SwitchyardConfig, limits: { maxFileBytes?: number; fetchTimeoutMs?: number } = {}): Promise<KnowledgeStack> {
  const db = await openDatabase(config);
  const connection = createRedisConnection(config.redisUrl!);
  const log = createLogger({ ...config, logLevel: 'silent' });
  const http = createHttpClient({ allow: ['127.0.0.1'] });
  const index = new VectorIndex(db.knex);
  const local = new LocalEmbedder();
  const queue = new KnowledgeQueue(connection, config.redisPrefix);
  const deps = { knex: db.knex, index, local, http, log };
  const service = createKnowledgeService({ ...deps, queue, maxFileBytes: limits.maxFileBytes });
  const worker = new KnowledgeWorker({ ...deps, maxFileBytes: service.maxFileBytes, fetchTimeoutMs: limits.fetchTimeoutMs, connection, prefix: config.redisPrefix, queue });
  await worker.start();
  afterAll(async () => {
    await worker.close();
    await queue.close();
    await local.close();
    http.close();
    connection.disconnect();
    await db.close();
  });
  return { db, service, local, index };
}

/** Waits until no source of the base is queued or processing; returns its sources. */
export async function waitForIngestion(service: KnowledgeService, knowledgeBaseId: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const sources = await service.listSources(WS, knowledgeBaseId);
    if (sources.every((s) => s.status === 'ready' || s.status === 'failed')) return sources;
    if (Date.now() > deadline) throw new Error(`ingestion still running after ${timeoutMs} ms: ${JSON.stringify(sources.map((s) => [s.name, s.status, s.progress]))}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
