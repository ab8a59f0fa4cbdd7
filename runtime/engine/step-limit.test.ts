import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { WS, flow, runAndWait, startLocalServer, startTestRuntime } from '../testing/harness.js';

const LIMIT = 1500;

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime({ executionMaxSteps: LIMIT });
});

/** manual trigger → For each over `$json.items` → `body` (Set nodes, in a chain) → Collect. */
function loopFlow(name: string, body: number, settings: Record<string, unknown> = {}) {
  const sets = Array.from({ length: body }, (_, k) => ({ id: `set${k}`, type: 'core.set', props: { fields: [{ name: 'n', value: '{{ $json }}' }] } }));
  return flow(name, [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'each', type: 'core.for-each', props: { items: '{{ $json.items }}', concurrency: 5 }, settings },
    ...sets,
    { id: 'gather', type: 'core.collect' },
  ], ['start->each', 'each:item->set0', ...sets.slice(1).map((s, k) => `set${k}->${s.id}`), `set${body - 1}->gather`]);
}

const items = (n: number) => ({ items: Array.from({ length: n }, (_, i) => i) });

describe('the step limit of one execution (SWITCHYARD_EXECUTION_MAX_STEPS)', () => {
  it('fails a For each whose items alone would pass it before any item runs, naming the loop', async () => {
    const created = await runtime.flows.create(WS, loopFlow('too-many-items', 1));
    const execution = await runAndWait(runtime, created.id, items(2000));
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatchObject({ nodeId: 'each', code: 'too_many_steps' });
    expect(execution.error?.message).toContain(`2000 items would pass the execution's limit of ${LIMIT} steps`);
    expect(execution.steps.map((s) => [s.nodeId, s.status])).toEqual([['start', 'succeeded'], ['each', 'failed']]);
  });

  it('lets onError route the refused loop like any other failure of the loop node', async () => {
    const created = await runtime.flows.create(WS, flow('too-many-routed', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'each', type: 'core.for-each', props: { items: '{{ $json.items }}' }, settings: { onError: 'route' } },
      { id: 'one', type: 'core.set', props: { fields: [{ name: 'n', value: '{{ $json }}' }] } },
      { id: 'gather', type: 'core.collect' },
      { id: 'fallback', type: 'core.set', props: { fields: [{ name: 'why', value: '{{ $json.error.code }}' }] } },
    ], ['start->each', 'each:item->one', 'one->gather', 'each:error->fallback']));
    const execution = await runAndWait(runtime, created.id, items(5000));
    expect(execution.status).toBe('succeeded');
    expect(execution.result).toEqual({ why: 'too_many_steps' });
  });

  it('stops an execution whose loop body takes it past the limit, and the worker goes on serving', async () => {
    // 800 items pass the up-front check (one step each would fit), but two steps per item do not.
    const created = await runtime.flows.create(WS, loopFlow('too-many-steps', 2));
    const execution = await runAndWait(runtime, created.id, items(800), 30_000);
    expect(execution.status).toBe('failed');
    expect(execution.error).toMatchObject({ code: 'too_many_steps' });
    expect(execution.error?.message).toContain(`reached its limit of ${LIMIT} steps`);
    expect(execution.steps.length).toBe(LIMIT);
    expect(execution.steps.some((s) => s.nodeId === 'gather')).toBe(false);

    const small = await runAndWait(runtime, created.id, items(3));
    expect(small.status).toBe('succeeded');
    expect(small.result).toEqual({ items: [0, 1, 2].map((n) => ({ n: { n } })) });
  });

  it('records a long run of pure steps as it goes, not only at the next side effect', async () => {
    let recordedBeforeCall = -1;
    let executionId = '';
    const server = await startLocalServer(async (_req, _body, res) => {
      const [row] = await runtime.knex('execution_steps').where({ execution_id: executionId }).count({ n: '*' });
      recordedBeforeCall = Number(row!.n);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    const created = await runtime.flows.create(WS, flow('long-pure-run', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'each', type: 'core.for-each', props: { items: '{{ $json.items }}', concurrency: 5 } },
      { id: 'one', type: 'core.set', props: { fields: [{ name: 'n', value: '{{ $json }}' }] } },
      { id: 'gather', type: 'core.collect' },
      { id: 'call', type: 'core.http-request', props: { method: 'POST', url: `${server.url}/done` } },
    ], ['start->each', 'each:item->one', 'one->gather', 'gather->call']));
    ({ executionId } = await runtime.executions.run(WS, created.id, items(1200)));
    const execution = await runtime.executions.waitFor(WS, executionId, 30_000);
    expect(execution.status).toBe('succeeded');
    expect(execution.steps.length).toBe(1204);
    // Nothing before the HTTP call has a side effect: without batches all 1,203 steps would still be in memory.
    expect(recordedBeforeCall).toBeGreaterThanOrEqual(1000);
  });
});
