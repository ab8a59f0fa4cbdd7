import { beforeAll, describe, expect, it } from 'vitest';
import type { ExecutionEvent } from '../services/types.js';
import type { Runtime } from '../types.js';
import { WS, flow, startTestRuntime } from '../testing/harness.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});

describe('live step events of a watched run', () => {
  it('delivers every step\'s final state before the execution\'s final status, in batches for a long loop', async () => {
    const created = await runtime.flows.create(WS, flow('live-loop', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'approve', type: 'core.wait', props: { mode: 'resume' } },
      { id: 'each', type: 'core.for-each', props: { items: '{{ $trigger.items }}', concurrency: 4 } },
      { id: 'double', type: 'core.set', props: { fields: [{ name: 'n', value: '{{ $json * 2 }}' }] } },
      { id: 'gather', type: 'core.collect' },
    ], ['start->approve', 'approve->each', 'each:item->double', 'double->gather']));
    const { executionId } = await runtime.executions.run(WS, created.id, { items: Array.from({ length: 400 }, (_, i) => i) });
    const parked = await runtime.executions.waitFor(WS, executionId, 10_000);
    expect(parked.status).toBe('waiting');

    // Watch from the resume on: everything after it must arrive.
    const events: ExecutionEvent[] = [];
    let ended!: () => void;
    const end = new Promise<void>((resolve) => { ended = resolve; });
    const unwatch = await runtime.executions.watch(WS, executionId, (event) => {
      events.push(event);
      if (event.type === 'status' && event.status === 'succeeded') ended();
    });
    await runtime.executions.resume(parked.resumePath!.split('/').pop()!, {});
    await end;
    await unwatch();

    const record = await runtime.executions.get(WS, executionId);
    expect(record.result).toEqual({ items: Array.from({ length: 400 }, (_, i) => ({ n: i * 2 })) });
    const after = record.steps.filter((s) => s.stepKey !== 'start' && !(s.stepKey === 'approve' && s.status === 'waiting'));
    expect(after).toHaveLength(403);
    // The final status is the last event, and by then each step's latest event says how it ended.
    expect(events.at(-1)).toEqual({ type: 'status', executionId, status: 'succeeded' });
    const lastByStep = new Map<string, string>();
    for (const event of events) if (event.type === 'step') lastByStep.set(event.stepKey, event.status);
    for (const step of after) expect([step.stepKey, lastByStep.get(step.stepKey)]).toEqual([step.stepKey, step.status]);
  });
});
