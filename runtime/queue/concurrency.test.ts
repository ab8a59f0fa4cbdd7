import { afterAll, expect, inject, it } from 'vitest';
import { createRedisConnection } from '../redis/connection.js';
import { FlowConcurrency } from './concurrency.js';

const redis = createRedisConnection(inject('redisUrl'), { purpose: 'command' });
afterAll(() => redis.disconnect());

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

it('a running execution keeps its slot past the lease while it is kept alive, and frees it when done', async () => {
  // A 600 ms lease stands in for the 10-minute default (renewed every 200 ms).
  const slots = new FlowConcurrency(redis, `t_concurrency_${process.pid}`, 600);
  expect(await slots.acquire('flow', 'long-run', 1)).toBe(true);
  const stop = slots.keepAlive('flow', 'long-run');
  await sleep(1800);
  // Three leases later the long run still holds the only slot.
  expect(await slots.acquire('flow', 'second', 1)).toBe(false);
  stop();
  await slots.release('flow', 'long-run');
  expect(await slots.acquire('flow', 'second', 1)).toBe(true);
});

it('a slot nobody keeps alive (its worker died) frees itself when the lease ends', async () => {
  const slots = new FlowConcurrency(redis, `t_concurrency_dead_${process.pid}`, 200);
  expect(await slots.acquire('flow', 'orphan', 1)).toBe(true);
  expect(await slots.acquire('flow', 'next', 1)).toBe(false);
  await sleep(300);
  expect(await slots.acquire('flow', 'next', 1)).toBe(true);
});
