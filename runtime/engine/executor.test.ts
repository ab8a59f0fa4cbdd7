import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { WS, callHook, flow, runAndWait, startLocalServer, startTestRuntime } from '../testing/harness.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});

describe('webhook → Code → Respond', () => {
  it('answers the webhook with the computed body and records every step', async () => {
    const created = await runtime.flows.create(WS, flow('sum', [
      { id: 'in', type: 'core.webhook', props: { path: 'sum', method: 'POST', respond: 'respondNode' } },
      { id: 'add', type: 'core.code', props: { code: 'return { sum: $json.body.a + $json.body.b };' } },
      { id: 'reply', type: 'core.respond', props: { status: 201, body: '{{ $json }}' } },
    ], ['in->add', 'add->reply']));
    await runtime.flows.activate(WS, created.id);

    const response = await callHook(runtime, 'sum', { a: 2, b: 40 });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ sum: 42 });

    const [summary] = await runtime.executions.list(WS, { flowId: created.id });
    const execution = await runtime.executions.waitFor(WS, summary!.id, 5000);
    expect(execution.status).toBe('succeeded');
    expect(execution.steps.map((s) => [s.nodeId, s.status])).toEqual([['in', 'succeeded'], ['add', 'succeeded'], ['reply', 'succeeded']]);
    const add = execution.steps[1]!;
    expect(add.input).toMatchObject({ body: { a: 2, b: 40 } });
    expect(add.output).toEqual({ main: { sum: 42 } });
    expect(add.durationMs).toBeGreaterThanOrEqual(0);
    expect(add.startedAt).toBeTruthy();
    // The request payload is stored once: the trigger step and the Code step's input point at it.
    const rows = await runtime.knex('execution_steps').where({ execution_id: summary!.id }).orderBy('seq').select('step_key', 'input_ref', 'output_refs', 'input');
    expect(rows.map((r) => [r.step_key, r.input_ref, r.output_refs])).toEqual([
      ['in', 'trigger', { main: 'trigger' }], ['add', 'trigger', null], ['reply', 'add:main', { main: 'add:main' }],
    ]);
    expect(rows.every((r) => r.input === null)).toBe(true);
  });

  it('returns the last node output when no Respond node is used, and 404s an unknown path', async () => {
    const created = await runtime.flows.create(WS, flow('echo', [
      { id: 'in', type: 'core.webhook', props: { path: 'echo', method: 'POST' } },
      { id: 'shape', type: 'core.set', props: { fields: [{ name: 'greeting', value: 'hi {{ $json.body.name }}' }] } },
    ], ['in->shape']));
    await runtime.flows.activate(WS, created.id);
    const response = await callHook(runtime, 'echo', { name: 'Ada' });
    expect(response).toMatchObject({ status: 200, body: { greeting: 'hi Ada' } });
    await expect(callHook(runtime, 'nope', {})).rejects.toMatchObject({ status: 404 });
  });
});

describe('Respond with a header Node cannot send', () => {
  it('fails the Respond step, naming the header, instead of a bare 500 after a "succeeded" execution', async () => {
    const created = await runtime.flows.create(WS, flow('emoji-header', [
      { id: 'in', type: 'core.webhook', props: { path: 'emoji-header', method: 'POST', respond: 'respondNode' } },
      { id: 'reply', type: 'core.respond', props: { status: 200, headers: [{ name: 'X-Mood', value: '{{ $json.body.mood }}' }], body: { ok: true } } },
    ], ['in->reply']));
    await runtime.flows.activate(WS, created.id);
    const response = await callHook(runtime, 'emoji-header', { mood: 'happy 😀' });
    expect(response.status).toBe(500);
    expect(response.body).toMatchObject({ error: { code: 'execution_failed', message: expect.stringContaining('headers.0.value: a header value may hold only') } });
    const [summary] = await runtime.executions.list(WS, { flowId: created.id });
    expect(summary!.status).toBe('failed');
    expect(await callHook(runtime, 'emoji-header', { mood: 'happy' })).toMatchObject({ status: 200, headers: { 'X-Mood': 'happy' } });
  });
});

describe('control flow', () => {
  it('routes by If, loops with For each + Collect and merges branches', async () => {
    const created = await runtime.flows.create(WS, flow('control', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'each', type: 'core.for-each', props: { items: '{{ $json.numbers }}', concurrency: 3 } },
      { id: 'big', type: 'core.if', props: { conditions: [{ left: '{{ $json }}', operator: 'gt', right: '10' }] } },
      { id: 'label-big', type: 'core.set', props: { fields: [{ name: 'n', value: '{{ $json }}' }, { name: 'size', value: 'big' }] } },
      { id: 'label-small', type: 'core.set', props: { fields: [{ name: 'n', value: '{{ $json }}' }, { name: 'size', value: 'small' }] } },
      { id: 'gather', type: 'core.collect' },
    ], ['start->each', 'each:item->big', 'big:true->label-big', 'big:false->label-small', 'label-big->gather', 'label-small->gather']));
    const execution = await runAndWait(runtime, created.id, { numbers: [5, 50, 7] });
    expect(execution.status).toBe('succeeded');
    expect(execution.result).toEqual({ items: [{ n: 5, size: 'small' }, { n: 50, size: 'big' }, { n: 7, size: 'small' }] });
    expect(execution.steps.filter((s) => s.nodeId === 'big').map((s) => s.stepKey).sort()).toEqual(['big#0', 'big#1', 'big#2']);
  });

  it('joins two branches in a Merge node', async () => {
    const created = await runtime.flows.create(WS, flow('merge', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'a', type: 'core.set', props: { fields: [{ name: 'a', value: 1 }] } },
      { id: 'b', type: 'core.set', props: { fields: [{ name: 'b', value: 2 }] } },
      { id: 'join', type: 'core.merge', props: { mode: 'merge' } },
    ], ['start->a', 'start->b', 'a->join', 'b->join']));
    const execution = await runAndWait(runtime, created.id, {});
    expect(execution.result).toEqual({ a: 1, b: 2 });
  });
});

describe('pinned outputs', () => {
  it('uses a pinned output instead of calling the node in a test run', async () => {
    const server = await startLocalServer((_req, _body, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"live":true}'); });
    const created = await runtime.flows.create(WS, flow('pinned', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/api` } },
      { id: 'shape', type: 'core.set', props: { fields: [{ name: 'got', value: '{{ $json.body }}' }] } },
    ], ['start->call', 'call->shape']));
    const { executionId } = await runtime.executions.run(WS, created.id, {}, { pinned: { call: { main: { status: 200, body: { pinned: true } } } } });
    const record = await runtime.executions.waitFor(WS, executionId, 10_000);
    expect(record.status).toBe('succeeded');
    expect(record.result).toEqual({ got: { pinned: true } });
    expect(server.hits.get('/api')).toBeUndefined();
  });
});

describe('errors and retries', () => {
  it('retries a failing HTTP step with backoff, then succeeds', async () => {
    let calls = 0;
    const server = await startLocalServer((_req, _body, res) => {
      calls++;
      if (calls < 3) { res.writeHead(503).end('busy'); return; }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    const created = await runtime.flows.create(WS, flow('retry', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/flaky` }, settings: { retry: { attempts: 4, backoff: 'exponential', delayMs: 20 } } },
    ], ['start->call']));
    const execution = await runAndWait(runtime, created.id);
    expect(execution.status).toBe('succeeded');
    expect(calls).toBe(3);
    expect(execution.steps.filter((s) => s.nodeId === 'call').map((s) => [s.attempt, s.status])).toEqual([[1, 'failed'], [2, 'failed'], [3, 'succeeded']]);
  });

  it('fails the execution with the node id, or routes the error when asked', async () => {
    const failing = await runtime.flows.create(WS, flow('stop', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'halt', type: 'core.stop', props: { message: 'no stock for {{ $json.sku }}' } },
    ], ['start->halt']));
    const failed = await runAndWait(runtime, failing.id, { sku: 'A1' });
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatchObject({ nodeId: 'halt', message: expect.stringContaining('no stock for A1') });

    const routed = await runtime.flows.create(WS, flow('route', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'boom', type: 'core.code', props: { code: 'throw new Error("bad input")' }, settings: { onError: 'route' } },
      { id: 'handle', type: 'core.set', props: { fields: [{ name: 'caught', value: '{{ $json.error.message }}' }] } },
    ], ['start->boom', 'boom:error->handle']));
    const handled = await runAndWait(runtime, routed.id, {});
    expect(handled.status).toBe('succeeded');
    expect(handled.result).toEqual({ caught: expect.stringContaining('bad input') });
  });

  it('fails a step that outlives its timeout setting, long before the node would have answered', async () => {
    const server = await startLocalServer(async (_req, _body, res) => {
      await new Promise((r) => setTimeout(r, 3000));
      if (!res.destroyed) res.writeHead(200).end('{}');
    });
    const created = await runtime.flows.create(WS, flow('step-timeout', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'slow', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/slow`, timeoutMs: 10_000 }, settings: { timeoutMs: 200 } },
    ], ['start->slow']));
    const started = Date.now();
    const execution = await runAndWait(runtime, created.id);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatchObject({ nodeId: 'slow', code: 'timeout', message: 'step timed out after 200 ms' });
  });

  it('names the node and the expression when an expression fails', async () => {
    const created = await runtime.flows.create(WS, flow('bad-expr', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'shape', type: 'core.set', props: { fields: [{ name: 'x', value: '{{ $json.a.b.c }}' }] } },
    ], ['start->shape']));
    const execution = await runAndWait(runtime, created.id, {});
    expect(execution.status).toBe('failed');
    expect(execution.error?.nodeId).toBe('shape');
    expect(execution.error?.message).toContain('$json.a.b.c');
  });
});

describe('waits, cancel, rerun, sub-flows', () => {
  it('parks on a Wait without holding a worker and resumes on time', async () => {
    const created = await runtime.flows.create(WS, flow('delay', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'pause', type: 'core.wait', props: { mode: 'delay', amount: 1, unit: 'seconds' } },
      { id: 'after', type: 'core.set', props: { fields: [{ name: 'done', value: true }] } },
    ], ['start->pause', 'pause->after']));
    const { executionId } = await runtime.executions.run(WS, created.id, {});
    const parked = await runtime.executions.waitFor(WS, executionId, 5000);
    expect(parked.status).toBe('waiting');
    const finished = await waitForStatus(executionId, 'succeeded', 10_000);
    expect(finished.result).toEqual({ done: true });
  });

  it('wakes loop items that wait for different times, each on its own time', async () => {
    // The first item's timer, already spent, must not stand in for the second's next wake-up.
    const created = await runtime.flows.create(WS, flow('staggered', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'each', type: 'core.for-each', props: { items: '{{ [1, 2] }}', concurrency: 1 } },
      { id: 'pause', type: 'core.wait', props: { mode: 'delay', amount: '{{ $json }}', unit: 'seconds' } },
      { id: 'gather', type: 'core.collect' },
    ], ['start->each', 'each:item->pause', 'pause->gather']));
    const { executionId } = await runtime.executions.run(WS, created.id, {});
    const done = await waitForStatus(executionId, 'succeeded', 15_000);
    expect(done.result).toEqual({ items: [1, 2] });
  });

  it('resumes a Wait through its resume URL with the posted payload', async () => {
    const created = await runtime.flows.create(WS, flow('approval', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'approve', type: 'core.wait', props: { mode: 'resume' } },
      { id: 'after', type: 'core.set', props: { fields: [{ name: 'approved', value: '{{ $json.approved }}' }] } },
    ], ['start->approve', 'approve->after']));
    const { executionId } = await runtime.executions.run(WS, created.id, {});
    const parked = await runtime.executions.waitFor(WS, executionId, 5000);
    expect(parked.status).toBe('waiting');
    expect(parked.resumePath).toMatch(/^\/hooks\/resume\//);
    await runtime.executions.resume(parked.resumePath!.split('/').pop()!, { approved: true });
    const finished = await waitForStatus(executionId, 'succeeded', 10_000);
    expect(finished.result).toEqual({ approved: true });
    await expect(runtime.executions.resume(parked.resumePath!.split('/').pop()!, {})).rejects.toMatchObject({ status: 404 });
  });

  it('hands a flow its own resume URL before it waits ($execution.resumeUrl), which resumes whichever Wait is parked', async () => {
    // The approval request goes out first (here to a local server standing in for email), then the flow waits.
    const sent: string[] = [];
    const mailer = await startLocalServer((_req, body, res) => {
      sent.push((JSON.parse(body) as { link: string }).link);
      res.writeHead(202).end();
    });
    const created = await runtime.flows.create(WS, flow('approval-link', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'each', type: 'core.for-each', props: { items: '{{ $json.orders }}', concurrency: 1 } },
      { id: 'ask', type: 'core.http-request', props: { method: 'POST', url: `${mailer.url}/send`, bodyType: 'json', body: { link: '{{ $execution.resumeUrl }}' } } },
      { id: 'approve', type: 'core.wait', props: { mode: 'resume' } },
      { id: 'gather', type: 'core.collect' },
    ], ['start->each', 'each:item->ask', 'ask->approve', 'approve->gather']));
    const { executionId } = await runtime.executions.run(WS, created.id, { orders: ['A', 'B'] });
    expect((await runtime.executions.waitFor(WS, executionId, 5000)).status).toBe('waiting');
    expect(sent).toHaveLength(2);
    expect(sent[0]).toBe(sent[1]);
    const url = new URL(sent[0]!);
    expect(url.pathname).toMatch(new RegExp(`^/hooks/resume/${executionId}\\.[\\w-]{32}$`));
    const token = url.pathname.split('/').pop()!;
    // A forged signature resumes nothing.
    await expect(runtime.executions.resume(`${executionId}.${'x'.repeat(32)}`, {})).rejects.toMatchObject({ status: 404 });
    // The same URL answers each parked Wait in turn, oldest first.
    await runtime.executions.resume(token, { ok: 'first' });
    await runtime.executions.resume(token, { ok: 'second' });
    const finished = await waitForStatus(executionId, 'succeeded', 10_000);
    expect(finished.result).toEqual({ items: [{ ok: 'first' }, { ok: 'second' }] });
    await expect(runtime.executions.resume(token, {})).rejects.toMatchObject({ status: 404 });
  });

  it('cancels a waiting execution', async () => {
    const created = await runtime.flows.create(WS, flow('cancel-me', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'pause', type: 'core.wait', props: { mode: 'resume' } },
    ], ['start->pause']));
    const { executionId } = await runtime.executions.run(WS, created.id, {});
    const parked = await runtime.executions.waitFor(WS, executionId, 5000);
    const cancelled = await runtime.executions.cancel(WS, executionId);
    expect(cancelled.status).toBe('cancelled');
    await expect(runtime.executions.cancel(WS, executionId)).rejects.toMatchObject({ status: 409 });
    // Its resume URL no longer claims to resume anything.
    await expect(runtime.executions.resume(parked.resumePath!.split('/').pop()!, { late: true })).rejects.toMatchObject({ status: 404 });
    expect((await runtime.executions.get(WS, executionId)).status).toBe('cancelled');
  });

  it('cancels a running execution: its in-flight step is aborted and nothing after it runs', async () => {
    let started = 0;
    let aborted = false;
    const server = await startLocalServer(async (req, _body, res) => {
      if (req.url === '/slow') {
        started++;
        res.on('close', () => { if (!res.writableEnded) aborted = true; });
        await new Promise((r) => setTimeout(r, 5000));
      }
      if (!res.destroyed) res.writeHead(200).end('{}');
    });
    const created = await runtime.flows.create(WS, flow('cancel-running', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'slow', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/slow` } },
      { id: 'after', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/after` } },
    ], ['start->slow', 'slow->after']));
    const { executionId } = await runtime.executions.run(WS, created.id, {});
    const deadline = Date.now() + 5000;
    while (started === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await runtime.executions.cancel(WS, executionId);
    const record = await runtime.executions.get(WS, executionId);
    expect(record.status).toBe('cancelled');
    // The in-flight request is aborted (the worker lets go) long before the slow call would return.
    const deadline2 = Date.now() + 2000;
    while (!aborted && Date.now() < deadline2) await new Promise((r) => setTimeout(r, 20));
    expect(aborted).toBe(true);
    expect(server.hits.get('/after')).toBeUndefined();
  });

  it('re-runs from a step with its recorded input, without repeating upstream side effects', async () => {
    const server = await startLocalServer((_req, _body, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"n":1}'); });
    const created = await runtime.flows.create(WS, flow('rerun', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.http-request', props: { method: 'POST', url: `${server.url}/charge`, bodyType: 'json', body: '{}' } },
      { id: 'shape', type: 'core.set', props: { fields: [{ name: 'status', value: '{{ $json.status }}' }] } },
    ], ['start->call', 'call->shape']));
    const first = await runAndWait(runtime, created.id, {});
    expect(first.status).toBe('succeeded');
    const { executionId } = await runtime.executions.rerun(WS, first.id, { fromStep: 'shape' });
    const again = await waitForStatus(executionId, 'succeeded', 10_000);
    expect(again.result).toEqual({ status: 200 });
    expect(server.hits.get('/charge')).toBe(1);
  });

  it('runs a sub-flow and continues with its result', async () => {
    const child = await runtime.flows.create(WS, flow('child', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'double', type: 'core.code', props: { code: 'return { doubled: $json.n * 2 };' } },
    ], ['start->double']));
    const parent = await runtime.flows.create(WS, flow('parent', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.subflow', props: { flowId: child.id, input: '{{ $json }}' } },
    ], ['start->call']));
    const { executionId } = await runtime.executions.run(WS, parent.id, { n: 21 });
    const done = await waitForStatus(executionId, 'succeeded', 10_000);
    expect(done.result).toEqual({ doubled: 42 });
  });

  it('calls a sub-flow per loop item and continues once every one has answered, however fast they finish', async () => {
    // Quick children finish while the parent's run is still parking other items, and each finished
    // child queues the parent again: those runs must not overlap, nor may a result that arrives
    // before the parent records its wait be lost.
    const child = await runtime.flows.create(WS, flow('square', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'square', type: 'core.set', props: { fields: [{ name: 'v', value: '{{ $json.n * $json.n }}' }] } },
    ], ['start->square']));
    const parent = await runtime.flows.create(WS, flow('fan-out', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'each', type: 'core.for-each', props: { items: '{{ $json.items }}', concurrency: 5 } },
      { id: 'call', type: 'core.subflow', props: { flowId: child.id, input: '{{ { n: $json } }}' } },
      { id: 'gather', type: 'core.collect' },
    ], ['start->each', 'each:item->call', 'call->gather']));
    const { executionId } = await runtime.executions.run(WS, parent.id, { items: Array.from({ length: 40 }, (_, i) => i) });
    const done = await waitForStatus(executionId, 'succeeded', 30_000);
    expect(done.result).toEqual({ items: Array.from({ length: 40 }, (_, i) => ({ v: i * i })) });
    // Each item's call ran once: one waiting record and one result, never a second run beside them.
    const calls = done.steps.filter((s) => s.nodeId === 'call');
    expect(calls.filter((s) => s.status === 'succeeded')).toHaveLength(40);
    expect(new Set(calls.map((s) => s.stepKey)).size).toBe(40);
  });
});

describe('runaway sub-flows', () => {
  it('stops a flow that calls itself with no end at the nesting limit, failing the whole chain', async () => {
    const loop = await runtime.flows.create(WS, flow('self-caller', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'again', type: 'core.subflow', props: { flowId: 'set-below' } },
    ], ['start->again']), { draft: true });
    await runtime.flows.update(WS, loop.id, flow('self-caller', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'again', type: 'core.subflow', props: { flowId: loop.id } },
    ], ['start->again']));
    const { executionId } = await runtime.executions.run(WS, loop.id, {});
    const root = await waitForStatus(executionId, 'failed', 60_000);
    // The reason reaches the root once, not with a prefix per level.
    expect(root.error?.message).toBe('sub-flow failed: sub-flows may nest 100 deep and this call would go deeper; does a flow call itself with no condition that ends it?');
    // The root and 100 nested levels, then nothing more; each level failed with its child.
    const counted = await runtime.knex('executions').where({ flow_id: loop.id }).groupBy('status').select('status').count<{ status: string; n: string }[]>({ n: '*' });
    expect(counted.map((r) => [r.status, Number(r.n)])).toEqual([['failed', 101]]);
    const deepest = await runtime.knex('execution_steps').where({ status: 'failed', node_id: 'again' })
      .whereRaw(`error->>'code' = 'subflow_too_deep'`).count<{ n: string }[]>({ n: '*' });
    expect(Number(deepest[0]!.n)).toBe(1);
    // 101 executions in a chain: about 4 s on a quiet machine, over 30 s with both cores busy.
  }, 120_000);
});

async function waitForStatus(executionId: string, status: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await runtime.executions.waitFor(WS, executionId, Math.max(1, deadline - Date.now()));
    if (record.status === status || Date.now() >= deadline) {
      expect(record.status).toBe(status);
      return record;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
