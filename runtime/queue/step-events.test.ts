import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pino from 'pino';
import { createRedisConnection } from '../redis/connection.js';
import type { ExecutionEvent } from '../services/types.js';
import type { Runtime } from '../types.js';
import { WS, flow, startTestRuntime } from '../testing/harness.js';
import { Channels } from './channels.js';
import { StepEventBatcher, parseExecutionEvents } from './step-events.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
});

/**
 * Waits for the execution to park in its Wait, then watches it from the resume on (everything
 * after the resume must arrive) until it succeeds. Returns the events seen.
 */
async function resumeWatching(executionId: string): Promise<ExecutionEvent[]> {
  const parked = await runtime.executions.waitFor(WS, executionId, 10_000);
  expect(parked.status).toBe('waiting');
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
  return events;
}

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
    const events = await resumeWatching(executionId);

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

describe('live step events right before the end', () => {
  it('reach a watcher before the final status even when the run ends within the batching window', async () => {
    const created = await runtime.flows.create(WS, flow('live-short', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'approve', type: 'core.wait', props: { mode: 'resume' } },
      { id: 'after', type: 'core.set', props: { fields: [{ name: 'done', value: true }] } },
    ], ['start->approve', 'approve->after']));
    for (let run = 0; run < 5; run++) {
      const { executionId } = await runtime.executions.run(WS, created.id, {});
      const events = await resumeWatching(executionId);
      expect(events.filter((e) => e.type === 'step' && e.status !== 'running').map((e) => e.type === 'step' && e.nodeId)).toEqual(['approve', 'after']);
    }
  });
});

describe('StepEventBatcher', () => {
  const publisher = createRedisConnection(inject('redisUrl'), { purpose: 'command' });
  const subscriber = createRedisConnection(inject('redisUrl'));
  const channels = new Channels(publisher, subscriber, `t_step_events_${process.pid}`);
  afterAll(() => {
    publisher.disconnect();
    subscriber.disconnect();
  });
  const step = (executionId: string, stepKey: string, status: 'running' | 'succeeded') =>
    ({ type: 'step', executionId, stepKey, nodeId: stepKey, status }) as const;

  it('sends one execution\'s waiting events at once, before its status, keeping each step\'s latest', async () => {
    const messages: ExecutionEvent[][] = [];
    await channels.subscribe(channels.name('events'), (message) => messages.push(parseExecutionEvents(message)));
    await subscriber.ping();
    // A window far longer than the test: only flush() can send these.
    const batcher = new StepEventBatcher({ channels, log: pino({ level: 'silent' }), windowMs: 60_000 });
    batcher.push(step('a', 'one', 'running'));
    batcher.push(step('b', 'other', 'running'));
    batcher.push(step('a', 'two', 'running'));
    batcher.push(step('a', 'one', 'succeeded'));
    batcher.flush('a');
    await channels.publish(channels.name('events'), JSON.stringify({ type: 'status', executionId: 'a', status: 'succeeded' }));
    await expect.poll(() => messages.length).toBe(2);
    expect(messages).toEqual([
      [step('a', 'one', 'succeeded'), step('a', 'two', 'running')],
      [{ type: 'status', executionId: 'a', status: 'succeeded' }],
    ]);
    // The other execution's event waits for its window, or for closing.
    batcher.close();
    await expect.poll(() => messages.length).toBe(3);
    expect(messages[2]).toEqual([step('b', 'other', 'running')]);
  });

  it('sends an unwatched run\'s status after its steps in the window, many runs in one message', async () => {
    const messages: ExecutionEvent[][] = [];
    const channel = new Channels(publisher, subscriber, `t_step_status_${process.pid}`);
    await channel.subscribe(channel.name('events'), (message) => messages.push(parseExecutionEvents(message)));
    await subscriber.ping();
    const batcher = new StepEventBatcher({ channels: channel, log: pino({ level: 'silent' }), windowMs: 20 });
    batcher.push(step('c', 'one', 'running'));
    batcher.push({ type: 'status', executionId: 'c', status: 'succeeded' });
    batcher.push({ type: 'status', executionId: 'd', status: 'failed' });
    // A late event of a step does not move it after the status.
    batcher.push(step('c', 'one', 'succeeded'));
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toEqual([step('c', 'one', 'succeeded'), { type: 'status', executionId: 'c', status: 'succeeded' }, { type: 'status', executionId: 'd', status: 'failed' }]);
    batcher.close();
  });

  it('keeps a run\'s status after a step that first appears once the status waits (a resumed run in the same window)', async () => {
    const messages: ExecutionEvent[][] = [];
    const channel = new Channels(publisher, subscriber, `t_step_status_late_${process.pid}`);
    await channel.subscribe(channel.name('events'), (message) => messages.push(parseExecutionEvents(message)));
    await subscriber.ping();
    const batcher = new StepEventBatcher({ channels: channel, log: pino({ level: 'silent' }), windowMs: 20 });
    batcher.push(step('e', 'ask', 'succeeded'));
    batcher.push({ type: 'status', executionId: 'e', status: 'waiting' });
    batcher.push(step('e', 'answer', 'succeeded'));
    batcher.push({ type: 'status', executionId: 'e', status: 'succeeded' });
    await expect.poll(() => messages.length).toBe(1);
    expect(messages[0]).toEqual([step('e', 'ask', 'succeeded'), step('e', 'answer', 'succeeded'), { type: 'status', executionId: 'e', status: 'succeeded' }]);
    batcher.close();
  });
});
