import { afterAll, expect, inject, it } from 'vitest';
import { createRedisConnection } from '../redis/connection.js';
import { Channels } from './channels.js';

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
