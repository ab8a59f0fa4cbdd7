import { afterAll, expect, inject, it } from 'vitest';
import { createRedisConnection } from '../redis/connection.js';
import { Channels, INLINE_REPLY_MAX_CHARS } from './channels.js';

const publisher = createRedisConnection(inject('redisUrl'), { purpose: 'command' });
const subscriber = createRedisConnection(inject('redisUrl'));
const channels = new Channels(publisher, subscriber, `t_channels_${process.pid}`);
afterAll(() => {
  publisher.disconnect();
  subscriber.disconnect();
});

it('delivers messages published together, in order, to each channel\'s handlers', async () => {
  const seen: string[] = [];
  const bothArrived = new Promise<void>((resolve) => {
    const record = (label: string) => (message: string) => {
      seen.push(`${label}:${message}`);
      if (seen.length === 3) resolve();
    };
    void channels.subscribe(channels.name('reply:web-1'), record('reply'));
    void channels.subscribe(channels.name('events'), record('events'));
  });
  // Subscriptions are confirmed before the publish below: SUBSCRIBE and PUBLISH share no connection.
  await subscriber.ping();
  await channels.publishAll([
    [channels.name('reply:web-1'), 'answer'],
    [channels.name('events'), 'status-1'],
    [channels.name('events'), 'status-2'],
  ]);
  await bothArrived;
  expect(seen).toEqual(['reply:answer', 'events:status-1', 'events:status-2']);
});

it('parks a large sync webhook answer under a key: the message only points at it, and reading takes it', async () => {
  const small = channels.readReply(channels.encodeReply('exec-small', { status: 200, headers: {}, body: { ok: true } }));
  expect(small).toEqual({ executionId: 'exec-small', response: { status: 200, headers: {}, body: { ok: true } } });

  const body = 'x'.repeat(INLINE_REPLY_MAX_CHARS + 1);
  const message = channels.encodeReply('exec-large', { status: 201, headers: { 'x-a': '1' }, body });
  expect(message.length).toBeLessThan(200);
  const pointer = channels.readReply(message);
  expect(pointer).toEqual({ executionId: 'exec-large', stored: true });
  expect(await channels.takeParkedReply('exec-large')).toEqual({ status: 201, headers: { 'x-a': '1' }, body });
  // Taken once: the key is gone, so Redis does not keep answers nobody will read again.
  expect(await publisher.exists(channels.replyKey('exec-large'))).toBe(0);
  expect(await channels.takeParkedReply('exec-large')).toBeUndefined();
});
