import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRuntime } from '../index.js';
import type { Runtime } from '../types.js';
import { testConfig } from '../testing/config.js';
import { WS, callHook, flow } from '../testing/harness.js';
import { startRedis, type RunningService } from '../testing/services.js';

/**
 * Redis that stops answering (paused, so connections stay open and commands just wait): callers
 * get a bounded answer, never a request that hangs. This file owns its Redis; pausing the shared
 * one would stall every other test file.
 */
let redis: RunningService;
let runtime: Runtime;

beforeAll(async () => {
  redis = await startRedis();
  runtime = await createRuntime(testConfig({ redisUrl: redis.url }));
  for (const [path, respond] of [['answer-me', 'lastNode'], ['queue-me', 'immediately']] as const) {
    const created = await runtime.flows.create(WS, flow(path, [
      { id: 'in', type: 'core.webhook', props: { path, method: 'POST', respond } },
      { id: 'mark', type: 'core.set', props: { fields: [{ name: 'ok', value: true }] } },
    ], ['in->mark']));
    await runtime.flows.activate(WS, created.id);
  }
  process.kill(redis.pid!, 'SIGSTOP');
});

afterAll(async () => {
  if (redis?.pid) process.kill(redis.pid, 'SIGCONT');
  await runtime?.close();
  await redis?.stop();
});

it('a sync webhook gets a 503 with a retry hint, not a request that never ends', async () => {
  const refused = await callHook(runtime, 'answer-me', { n: 1 }).catch((error: unknown) => error);
  expect(refused).toMatchObject({ status: 503, code: 'unavailable', retryAfterSeconds: 5, message: expect.stringContaining('the queue (Redis) did not answer') });
});

it('an async webhook is answered 202: its execution is in Postgres, and the orphan sweep queues it later', async () => {
  const accepted = await callHook(runtime, 'queue-me', { n: 2 });
  expect(accepted.status).toBe(202);
  const { executionId } = accepted.body as { executionId: string };
  const row = await runtime.knex('executions').where({ id: executionId }).first('status');
  expect(row?.status).toBe('queued');
});

it('/healthz reports Redis as down within its bound', async () => {
  const health = await runtime.health();
  expect(health.ok).toBe(false);
  expect(health.checks.postgres).toEqual({ ok: true });
  expect(health.checks.redis).toEqual({ ok: false, error: 'redis did not answer within 2000 ms' });
});
