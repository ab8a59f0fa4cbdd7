import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { createRuntime } from '../index.js';
import type { Runtime } from '../types.js';
import { createRedisCommandConnection } from '../redis/index.js';
import { EXECUTION_QUEUE } from './jobs.js';
import { nodeRegistry } from '../../nodes/index.js';
import { createFlowTriggers } from '../services/flow-triggers.js';
import { testConfig } from '../testing/config.js';
import { WS, flow, runAndWait, startLocalServer } from '../testing/harness.js';

const logLines: string[] = [];
let runtime: Runtime;
let redis: Redis;
/** The runtime's own execution queue, seen from outside (same Redis, same prefix). */
let queue: Queue;

beforeAll(async () => {
  const config = testConfig({ outboundAllow: ['127.0.0.1'], logLevel: 'debug' });
  const logDestination = new Writable({ write(chunk, _enc, done) { logLines.push(String(chunk)); done(); } });
  runtime = await createRuntime(config, { logDestination });
  await runtime.startWorker();
  redis = createRedisCommandConnection(config.redisUrl!);
  queue = new Queue(EXECUTION_QUEUE, { connection: redis, prefix: config.redisPrefix });
  return async () => {
    await queue.close();
    redis.disconnect();
    await runtime.close();
  };
});

async function executionsOf(flowId: string) {
  return runtime.executions.list(WS, { flowId });
}

describe('Schedule trigger', () => {
  it('fires on its cron while active and stops when deactivated', async () => {
    const created = await runtime.flows.create(WS, flow('every-second', [
      { id: 'tick', type: 'core.schedule', props: { cron: '* * * * * *', timezone: 'UTC' } },
      { id: 'mark', type: 'core.set', props: { fields: [{ name: 'at', value: '{{ $json.firedAt }}' }] } },
    ], ['tick->mark']));
    await runtime.flows.activate(WS, created.id);
    const deadline = Date.now() + 8000;
    while ((await executionsOf(created.id)).filter((e) => e.status === 'succeeded').length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const fired = await executionsOf(created.id);
    expect(fired.filter((e) => e.status === 'succeeded').length).toBeGreaterThanOrEqual(2);
    expect(fired.every((e) => e.mode === 'schedule')).toBe(true);

    await runtime.flows.deactivate(WS, created.id);
    // Let a tick that was already being processed finish, then count.
    await new Promise((r) => setTimeout(r, 1200));
    const atStop = (await executionsOf(created.id)).length;
    await new Promise((r) => setTimeout(r, 2500));
    expect((await executionsOf(created.id)).length).toBe(atStop);
  });
});

describe('activation under concurrency and a lossy Redis', () => {
  const scheduled = (path: string) => flow(path, [
    { id: 'tick', type: 'core.schedule', props: { cron: '0 0 1 1 *', timezone: 'UTC' } },
    { id: 'hook', type: 'core.webhook', props: { path, method: 'POST' } },
    { id: 'mark', type: 'core.set', props: { fields: [{ name: 'x', value: 1 }] } },
  ], ['tick->mark', 'hook->mark']);
  const schedulerIds = async () => (await queue.getJobSchedulers(0, -1)).map((s) => s.key);

  it('ends in the state of the last of many concurrent activations and deactivations, with no errors', async () => {
    for (const last of ['activate', 'deactivate'] as const) {
      const created = await runtime.flows.create(WS, scheduled(`toggle-${last}`));
      const ops = Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 'activate' : 'deactivate') as 'activate' | 'deactivate');
      // Before the fix some of these were 500s (two activations inserting the same webhook row) and
      // a flow could end inactive with its webhook still registered.
      await Promise.all(ops.map((op) => runtime.flows[op](WS, created.id)));
      const final = await runtime.flows[last](WS, created.id);
      const webhooks = await runtime.knex('webhooks').where({ flow_id: created.id }).count<{ n: string }[]>({ n: '*' });
      const schedules = await runtime.knex('schedules').where({ flow_id: created.id }).count<{ n: string }[]>({ n: '*' });
      const on = last === 'activate';
      expect(final.active).toBe(on);
      expect([Number(webhooks[0]!.n), Number(schedules[0]!.n)]).toEqual(on ? [1, 1] : [0, 0]);
      expect((await schedulerIds()).includes(`schedule:${created.id}:tick`)).toBe(on);
    }
  });

  it('a save\'s re-activation yields to a deactivation that got in between', async () => {
    const created = await runtime.flows.create(WS, scheduled('save-vs-deactivate'));
    const triggers = createFlowTriggers({ knex: runtime.knex, registry: () => nodeRegistry, queue });
    // The flow is inactive by the time the save moves its triggers (onlyIfActive), so nothing registers.
    const row = await triggers.set(WS, created.id, { version: 1, document: created.document, onlyIfActive: true });
    expect(row.active).toBe(false);
    expect(await runtime.knex('webhooks').where({ flow_id: created.id }).count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '0' }]);
    expect((await schedulerIds()).includes(`schedule:${created.id}:tick`)).toBe(false);
    // Without the flag the same call activates.
    expect((await triggers.set(WS, created.id, { version: 1, document: created.document })).active).toBe(true);
    await runtime.flows.deactivate(WS, created.id);
  });

  it('two flows claiming one webhook path at the same moment: one gets it, the other a 409', async () => {
    const drafts = await Promise.all([1, 2].map(() => runtime.flows.create(WS, scheduled('contested'))));
    const results = await Promise.allSettled(drafts.map((d) => runtime.flows.activate(WS, d.id)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ status: 409, code: 'conflict' });
    expect(await runtime.knex('webhooks').where({ path: 'contested' }).count<{ n: string }[]>({ n: '*' })).toEqual([{ n: '1' }]);
  });

  it('puts back schedulers Redis lost and removes ones Postgres no longer has', async () => {
    const kept = await runtime.flows.create(WS, scheduled('reconcile-kept'));
    await runtime.flows.activate(WS, kept.id);
    const key = `schedule:${kept.id}:tick`;
    await queue.removeJobScheduler(key);
    await queue.upsertJobScheduler('schedule:no-such-flow:tick', { pattern: '0 0 1 1 *', tz: 'UTC' }, { name: 'schedule', data: { workspaceId: WS, flowId: 'no-such-flow', nodeId: 'tick' } });

    const changed = await runtime.flows.reconcileSchedules();
    expect(changed.added).toBeGreaterThanOrEqual(1);
    expect(changed.removed).toBeGreaterThanOrEqual(1);
    const ids = await schedulerIds();
    expect(ids).toContain(key);
    expect(ids).not.toContain('schedule:no-such-flow:tick');
    // Already in step: nothing to do.
    expect(await runtime.flows.reconcileSchedules()).toEqual({ added: 0, removed: 0 });
  });

  it('a scheduler that fires for a schedule Postgres no longer has removes itself and starts nothing', async () => {
    const gone = await runtime.flows.create(WS, flow('orphan-tick', [
      { id: 'tick', type: 'core.schedule', props: { cron: '* * * * * *', timezone: 'UTC' } },
      { id: 'mark', type: 'core.set', props: { fields: [{ name: 'x', value: 1 }] } },
    ], ['tick->mark']));
    const key = `schedule:${gone.id}:tick`;
    // As if a deactivation committed in Postgres but died before Redis followed it.
    await queue.upsertJobScheduler(key, { pattern: '* * * * * *', tz: 'UTC' }, { name: 'schedule', data: { workspaceId: WS, flowId: gone.id, nodeId: 'tick' }, opts: { removeOnComplete: true, removeOnFail: true } });
    await expect.poll(async () => (await schedulerIds()).includes(key), { timeout: 5000 }).toBe(false);
    expect(await executionsOf(gone.id)).toEqual([]);
  });
});

describe('per-flow concurrency', () => {
  it('never runs more executions of a flow at once than its limit', async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await startLocalServer(async (_req, _body, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 150));
      inFlight--;
      res.writeHead(200).end('{}');
    });
    const created = await runtime.flows.create(WS, flow('limited', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/slow` } },
    ], ['start->call'], { settings: { concurrency: 2 } }));
    const ids = await Promise.all(Array.from({ length: 6 }, () => runtime.executions.run(WS, created.id, {})));
    for (const { executionId } of ids) {
      const deadline = Date.now() + 15_000;
      for (;;) {
        const record = await runtime.executions.waitFor(WS, executionId, 2000);
        if (record.status === 'succeeded' || Date.now() > deadline) { expect(record.status).toBe('succeeded'); break; }
      }
    }
    expect(server.hits.get('/slow')).toBe(6);
    expect(peak).toBe(2);
  });
});

describe('secrets', () => {
  it('never appear in step records, errors, logs or Redis', async () => {
    const token = 'sk_live_TOPSECRET_4242';
    // The provider echoes the Authorization header back in a 401 body: the step error will quote it.
    const server = await startLocalServer((req, _body, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' }).end(`bad credentials: ${req.headers.authorization}`);
    });
    const credential = await runtime.credentials.create(WS, { name: 'Provider token', kind: 'http-bearer', data: { token } });
    expect(JSON.stringify(credential)).not.toContain(token);
    const created = await runtime.flows.create(WS, flow('secret-flow', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.http-request', props: { method: 'POST', url: `${server.url}/pay`, bodyType: 'json', body: '{"amount":1}' }, credentials: { auth: 'provider' } },
    ], ['start->call'], { credentials: { provider: { kind: 'http-bearer', id: credential.id } } }));
    const execution = await runAndWait(runtime, created.id, { note: 'hello' });
    expect(execution.status).toBe('failed');
    const failedStep = execution.steps.find((s) => s.nodeId === 'call');
    // The provider's answer is kept for the user to read, with the secret cut out of it.
    expect(JSON.stringify(failedStep?.error)).toContain('bad credentials: Bearer [redacted]');
    expect(server.hits.get('/pay')).toBe(1);

    expect(JSON.stringify(execution)).not.toContain(token);
    expect(JSON.stringify(await runtime.credentials.list(WS))).not.toContain(token);
    expect(logLines.join('\n')).not.toContain(token);
    const keys = await redis.keys(`${runtime.config.redisPrefix}:*`);
    for (const key of keys) {
      const type = await redis.type(key);
      const dump = type === 'string' ? await redis.get(key)
        : type === 'hash' ? JSON.stringify(await redis.hgetall(key))
        : type === 'list' ? JSON.stringify(await redis.lrange(key, 0, -1))
        : type === 'zset' ? JSON.stringify(await redis.zrange(key, 0, -1))
        : type === 'stream' ? JSON.stringify(await redis.xrange(key, '-', '+'))
        : '';
      expect(dump ?? '').not.toContain(token);
    }
    const rows = await runtime.knex('credentials').select('secret');
    expect(JSON.stringify(rows)).not.toContain(token);
  });
});

describe('orphaned executions', () => {
  it('re-queues an execution whose job was never added (the creator died in between)', async () => {
    const created = await runtime.flows.create(WS, flow('orphan', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'mark', type: 'core.set', props: { fields: [{ name: 'ran', value: true }] } },
    ], ['start->mark']));
    // What a crash between the insert and the queue add leaves behind: a queued row, no job.
    await runtime.knex('executions').insert({
      id: 'orphan-1', workspace_id: WS, flow_id: created.id, flow_version: 1, status: 'queued', mode: 'manual',
      trigger_input: JSON.stringify({}), trigger_node_id: 'start', created_at: new Date(Date.now() - 120_000),
    });
    const { Launcher } = await import('./launcher.js');
    const { Queue } = await import('bullmq');
    const queue = new Queue('executions', { connection: redis, prefix: runtime.config.redisPrefix });
    expect(await new Launcher(runtime.knex, queue).sweepOrphans()).toBe(1);
    const deadline = Date.now() + 10_000;
    let status = 'queued';
    while (status !== 'succeeded' && Date.now() < deadline) {
      status = (await runtime.executions.get(WS, 'orphan-1')).status;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('succeeded');
    await queue.close();
  });
});
