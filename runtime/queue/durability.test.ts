import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SwitchyardConfig } from '../config/env.js';
import { createRuntime } from '../index.js';
import type { Runtime } from '../types.js';
import { testConfig } from '../testing/config.js';
import { startWorkerProcess } from '../testing/worker-process.js';
import { WS, flow, startLocalServer } from '../testing/harness.js';

/** Each test starts two worker processes (each loads the runtime through tsx: seconds on a busy machine); the waits inside name what failed. */
const TEST_TIMEOUT_MS = 120_000;

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

let config: SwitchyardConfig;
let api: Runtime;
const children: ChildProcess[] = [];

beforeAll(async () => {
  // A short lock so a killed worker's job is handed over within seconds.
  config = testConfig({ lockDurationMs: 2000, outboundAllow: ['127.0.0.1'] });
  api = await createRuntime(config);
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await api.close();
});

async function waitFor(executionId: string, status: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await api.executions.get(WS, executionId);
    if (record.status === status) return record;
    if (Date.now() > deadline) throw new Error(`execution stayed ${record.status}; wanted ${status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a worker killed with -9', { timeout: TEST_TIMEOUT_MS }, () => {
  it('mid-step: a new worker finishes the execution and the completed side effect is not repeated', async () => {
    let slowCalls = 0;
    const server = await startLocalServer(async (req, _body, res) => {
      if (req.url === '/slow') {
        slowCalls++;
        // The first call hangs long enough for the test to kill the worker mid-step.
        if (slowCalls === 1) await new Promise((r) => setTimeout(r, 20_000));
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const created = await api.flows.create(WS, flow('crash-mid-step', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'charge', type: 'core.http-request', props: { method: 'POST', url: `${server.url}/charge`, bodyType: 'json', body: '{"amount":5}' } },
      { id: 'slow', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/slow` } },
      { id: 'done', type: 'core.set', props: { fields: [{ name: 'ok', value: true }] } },
    ], ['start->charge', 'charge->slow', 'slow->done']));
    const first = await startWorkerProcess(config);
    children.push(first);
    const { executionId } = await api.executions.run(WS, created.id, {});
    const deadline = Date.now() + 10_000;
    while (slowCalls === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(slowCalls).toBe(1);
    await kill9(first);

    const second = await startWorkerProcess(config);
    children.push(second);
    const finished = await waitFor(executionId, 'succeeded', 20_000);
    expect(finished.result).toEqual({ ok: true });
    expect(server.hits.get('/charge')).toBe(1);
    expect(slowCalls).toBe(2);
    await kill9(second);
  });

  it('while parked on a Wait: a new worker resumes it on time', async () => {
    const server = await startLocalServer((_req, _body, res) => { res.writeHead(200).end('{}'); });
    const created = await api.flows.create(WS, flow('crash-while-waiting', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'notify', type: 'core.http-request', props: { method: 'POST', url: `${server.url}/notify`, bodyType: 'json', body: '{}' } },
      { id: 'pause', type: 'core.wait', props: { mode: 'delay', amount: 2, unit: 'seconds' } },
      { id: 'after', type: 'core.http-request', props: { method: 'POST', url: `${server.url}/after`, bodyType: 'json', body: '{}' } },
    ], ['start->notify', 'notify->pause', 'pause->after']));
    const first = await startWorkerProcess(config);
    children.push(first);
    const { executionId } = await api.executions.run(WS, created.id, {});
    await waitFor(executionId, 'waiting', 10_000);
    await kill9(first);

    const second = await startWorkerProcess(config);
    children.push(second);
    await waitFor(executionId, 'succeeded', 20_000);
    expect(server.hits.get('/notify')).toBe(1);
    expect(server.hits.get('/after')).toBe(1);
    await kill9(second);
  });
});

describe('a worker stopped with SIGTERM', { timeout: TEST_TIMEOUT_MS }, () => {
  it('finishes the steps it is running and exits 0; the next worker runs what was left, each call once', async () => {
    const server = await startLocalServer(async (req, _body, res) => {
      if (req.url === '/slow') await new Promise((r) => setTimeout(r, 1_500));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const created = await api.flows.create(WS, flow('graceful-stop', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'slow', type: 'core.http-request', props: { method: 'POST', url: `${server.url}/slow`, bodyType: 'json', body: '{}' } },
    ], ['start->slow']));
    const first = await startWorkerProcess(config);
    children.push(first);
    const running = await Promise.all([1, 2, 3].map(async () => (await api.executions.run(WS, created.id, {})).executionId));
    const deadline = Date.now() + 10_000;
    while ((server.hits.get('/slow') ?? 0) < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(server.hits.get('/slow')).toBe(3);

    const exited = new Promise<number | null>((resolve) => first.once('exit', (code) => resolve(code)));
    const stopping = new Promise<void>((resolve) => first.once('message', () => resolve()));
    first.kill('SIGTERM');
    await stopping;
    // Queued while the worker is stopping. A fetcher whose blocking read had already returned may
    // still take it (BullMQ closes those connections asynchronously); then it is finished before
    // the exit like the others. Either way it runs once.
    const later = (await api.executions.run(WS, created.id, {})).executionId;
    expect(await exited).toBe(0);
    for (const id of running) expect((await api.executions.get(WS, id)).status).toBe('succeeded');
    expect(['queued', 'succeeded']).toContain((await api.executions.get(WS, later)).status);

    const second = await startWorkerProcess(config);
    children.push(second);
    await waitFor(later, 'succeeded', 20_000);
    // Each call ran once: nothing was abandoned and nothing repeated.
    expect(server.hits.get('/slow')).toBe(4);
    await kill9(second);
  });
});
