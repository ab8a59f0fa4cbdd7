import { afterAll, expect, it } from 'vitest';
import { createRedisConnection } from '../redis/index.js';
import { testConfig } from '../testing/config.js';
import { createShortLivedStore } from './short-lived.js';

const config = testConfig();
const connections = [createRedisConnection(config.redisUrl!), createRedisConnection(config.redisUrl!)];
afterAll(() => { for (const c of connections) c.disconnect(); });
const [one, two] = connections.map((c) => createShortLivedStore(c!, config.redisPrefix, 'ws-a'));
const otherWorkspace = createShortLivedStore(connections[0]!, config.redisPrefix, 'ws-b');

it('stores JSON for a while, shared by every process of the workspace and no other workspace', async () => {
  expect(await one!.put('otp:sms:+1', { hash: 'ab', n: 1 }, 60_000)).toBe(true);
  expect(await two!.get('otp:sms:+1')).toEqual({ hash: 'ab', n: 1 });
  expect(await otherWorkspace.get('otp:sms:+1')).toBeNull();
  const ttl = await two!.ttl('otp:sms:+1');
  expect(ttl).toBeGreaterThan(50_000);
  expect(ttl).toBeLessThanOrEqual(60_000);
  expect(await two!.ttl('nothing')).toBeNull();
  // Only-if-absent refuses to replace; a plain put replaces.
  expect(await two!.put('otp:sms:+1', 'other', 60_000, { onlyIfAbsent: true })).toBe(false);
  expect(await two!.put('otp:sms:+1', 'other', 60_000)).toBe(true);
  expect(await one!.get('otp:sms:+1')).toBe('other');
});

it('expires records, counts atomically without extending the window, and lets exactly one of two racers take a record', async () => {
  await one!.put('short', 1, 50);
  await new Promise((resolve) => setTimeout(resolve, 120));
  expect(await one!.get('short')).toBeNull();

  const counts = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? one! : two!).increment('attempts', 60_000)));
  expect(counts.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  const before = await one!.ttl('attempts');
  await one!.increment('attempts', 600_000);
  expect(await one!.ttl('attempts')).toBeLessThanOrEqual(before!);

  await one!.put('code', 'x', 60_000);
  const taken = await Promise.all([one!.delete('code'), two!.delete('code')]);
  expect(taken.filter(Boolean)).toHaveLength(1);
  await expect(one!.put('bad', 1, 0)).rejects.toThrow(/positive lifetime/);
});
