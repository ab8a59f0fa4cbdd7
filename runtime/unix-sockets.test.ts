import { beforeAll, expect, inject, it } from 'vitest';
import type { Runtime } from './types.js';
import { WS, callHook, flow, startTestRuntime } from './testing/harness.js';

// A single-host deployment reaches Postgres and Redis over Unix sockets (decision 011):
// DATABASE_URL=postgres://user@/db?host=/socket/dir and REDIS_URL=/path/to/redis.sock.
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ databaseUrl: inject('databaseSocketUrl'), redisUrl: inject('redisSocketUrl') });
});

it('runs a webhook flow with Postgres and Redis reached over Unix sockets', async () => {
  const created = await runtime.flows.create(WS, flow('socket sum', [
    { id: 'in', type: 'core.webhook', props: { path: 'socket-sum', method: 'POST', respond: 'respondNode' } },
    { id: 'add', type: 'core.code', props: { code: 'return { sum: $json.body.a + $json.body.b };' } },
    { id: 'reply', type: 'core.respond', props: { status: 200, body: '{{ $json }}' } },
  ], ['in->add', 'add->reply']));
  await runtime.flows.activate(WS, created.id);
  expect(await callHook(runtime, 'socket-sum', { a: 40, b: 2 })).toMatchObject({ status: 200, body: { sum: 42 } });

  // No server address on either connection: they are Unix sockets, not TCP.
  const { rows } = await runtime.knex.raw('select inet_server_addr() as addr');
  expect(rows[0].addr).toBeNull();
  const [summary] = await runtime.executions.list(WS, { flowId: created.id });
  expect((await runtime.executions.waitFor(WS, summary!.id, 5000)).status).toBe('succeeded');
});
