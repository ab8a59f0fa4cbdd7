import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { WS, flow, startLocalServer, startTestRuntime } from '../testing/harness.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});

/** The statuses of an execution's recorded steps, by step key, as Postgres has them now. */
async function committedSteps(executionId: string): Promise<Record<string, string>> {
  const rows = await runtime.knex('execution_steps').where({ execution_id: executionId }).select('step_key', 'status');
  return Object.fromEntries(rows.map((r: { step_key: string; status: string }) => [r.step_key, r.status]));
}

// A side-effecting step of the root scope is committed when the next step starts, or with the
// run's final status when it was the last (one statement instead of two, issue 12).
describe('side-effecting steps are on record before anything after them runs', () => {
  it('commits the first call before the second starts, and the last call with the final status', async () => {
    const seenBySecond: Record<string, string>[] = [];
    const server = await startLocalServer(async (req, _body, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/second') seenBySecond.push(await committedSteps(url.searchParams.get('execution') ?? ''));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ path: url.pathname }));
    });
    const created = await runtime.flows.create(WS, flow('two calls', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'first', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/first` } },
      { id: 'second', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/second?execution={{ $execution.id }}` } },
    ], ['start->first', 'first->second']));
    const { executionId } = await runtime.executions.run(WS, created.id, {});
    const record = await runtime.executions.waitFor(WS, executionId, 15_000);
    expect(record.status).toBe('succeeded');
    expect(seenBySecond).toEqual([{ start: 'succeeded', first: 'succeeded' }]);
    expect(record.steps.map((s) => [s.nodeId, s.status])).toEqual([['start', 'succeeded'], ['first', 'succeeded'], ['second', 'succeeded']]);
    expect(await committedSteps(executionId)).toEqual({ start: 'succeeded', first: 'succeeded', second: 'succeeded' });
    expect(server.hits.get('/first')).toBe(1);
    expect(server.hits.get('/second')).toBe(1);
  });

  it('keeps a call on record when a later step fails the run', async () => {
    const server = await startLocalServer((_req, _body, res) => { res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'); });
    const created = await runtime.flows.create(WS, flow('call then fail', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.http-request', props: { method: 'GET', url: `${server.url}/call` } },
      { id: 'boom', type: 'core.code', props: { code: 'throw new Error("after the call");' } },
    ], ['start->call', 'call->boom']));
    const { executionId } = await runtime.executions.run(WS, created.id, {});
    const record = await runtime.executions.waitFor(WS, executionId, 15_000);
    expect(record.status).toBe('failed');
    expect(await committedSteps(executionId)).toEqual({ start: 'succeeded', call: 'succeeded', boom: 'failed' });
    expect(server.hits.get('/call')).toBe(1);
  });
});
