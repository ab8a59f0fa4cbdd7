import { afterAll, expect, it } from 'vitest';
import { createRedisConnection } from '../redis/index.js';
import { testConfig } from '../testing/config.js';
import { SharedRateLimiter } from './rate-limit.js';

const config = testConfig();
const connections = [createRedisConnection(config.redisUrl!), createRedisConnection(config.redisUrl!)];
afterAll(() => { for (const c of connections) c.disconnect(); });

it('spaces sends evenly across two clients sharing a key, and never refuses one', async () => {
  const [a, b] = connections.map((c) => new SharedRateLimiter(c!, config.redisPrefix));
  const perSecond = 10;
  const started = Date.now();
  const done: number[] = [];
  const take = (limiter: SharedRateLimiter) => limiter.acquire('telegram:bot-1', perSecond).then(() => { done.push(Date.now() - started); });
  await Promise.all(Array.from({ length: 6 }, () => [take(a!), take(b!)]).flat());
  expect(done).toHaveLength(12);
  done.sort((x, y) => x - y);
  // The n-th slot opens n intervals (100 ms) after the first; timers never fire more than a few ms early.
  for (let n = 1; n < done.length; n++) expect(done[n]! - done[0]!).toBeGreaterThanOrEqual(n * 100 - 10);
  // Another key has its own slots.
  const other = Date.now();
  await a!.acquire('telegram:bot-2', perSecond);
  expect(Date.now() - other).toBeLessThan(500);
});

it('stops waiting when the step is aborted', async () => {
  const limiter = new SharedRateLimiter(connections[0]!, config.redisPrefix);
  await limiter.acquire('slow:1', 1);
  const controller = new AbortController();
  const waiting = limiter.acquire('slow:1', 1, controller.signal);
  controller.abort(new Error('step timed out'));
  await expect(waiting).rejects.toThrow('step timed out');
});

it('still limits after Redis forgot its scripts (a restart, SCRIPT FLUSH)', async () => {
  const limiter = new SharedRateLimiter(connections[0]!, config.redisPrefix);
  await limiter.acquire('flushed:1', 10);
  await connections[0]!.script('FLUSH');
  const started = Date.now();
  await limiter.acquire('flushed:1', 10);
  await limiter.acquire('flushed:1', 10);
  // The second and third slots open 100 ms apart after the first: the reservation still ran.
  expect(Date.now() - started).toBeGreaterThanOrEqual(90);
});
