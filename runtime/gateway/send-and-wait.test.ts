import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { channelFlow, deliver, dispatched, startChannelRuntime, testAccount, until, WS } from '../testing/channel-harness.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startChannelRuntime();
});

/** A flow that asks whoever wrote a question and waits for their reply (or the timeout). */
function askingFlow(credentialId: string, timeoutMs = 60_000) {
  return channelFlow(runtime, credentialId, {}, {
    nodes: [{ id: 'ask', type: 'testchat.ask', props: { text: 'What is your name?', timeoutMs }, credentials: { account: 'acct' } }],
    edges: ['trigger->ask'],
  });
}

const executions = (flowId: string) => runtime.knex('executions').where({ flow_id: flowId }).orderBy('created_at').select('id', 'status');

async function parked(flowId: string, count: number): Promise<string[]> {
  return until(async () => {
    const rows = await executions(flowId);
    return rows.length === count && rows.every((r: { status: string }) => r.status === 'waiting') && rows.map((r: { id: string }) => r.id);
  }, 15_000, `${count} waiting executions`);
}

/** The port the ask step left on, and what it carried. */
async function answer(executionId: string): Promise<{ port: string; message: Record<string, unknown> }> {
  // waitFor returns at a park too: wait for the end.
  const record = await until(async () => {
    const r = await runtime.executions.waitFor(WS, executionId, 1_000);
    return r.status !== 'waiting' && r.status !== 'queued' && r.status !== 'running' && r;
  }, 15_000, 'the execution to finish');
  expect(record.status).toBe('succeeded');
  const step = record.steps.filter((s) => s.nodeId === 'ask').pop()!;
  const [port, message] = Object.entries(step.output ?? {})[0]!;
  return { port, message: message as Record<string, unknown> };
}

describe('send and wait for a reply', () => {
  it('resumes the execution with the contact\'s next message, not with another contact\'s, and starts nothing else', async () => {
    const id = await testAccount(runtime);
    const flowId = await askingFlow(id);
    await deliver(runtime, id, [{ id: 'w-1', type: 'message', from: 'alice', text: 'hello', mid: 'wm-1' }]);
    const [alice] = await parked(flowId, 1);
    // The question was recorded as an outbound message of that step.
    expect(await runtime.knex('conversation_messages').where({ credential_id: id, direction: 'out' }).first('text', 'execution_id', 'step_key'))
      .toEqual({ text: 'What is your name?', execution_id: alice, step_key: 'ask' });

    // Bob is someone else: his message starts his own execution and leaves Alice's waiting.
    await deliver(runtime, id, [{ id: 'w-2', type: 'message', from: 'bob', text: 'hi there', mid: 'wm-2' }]);
    await parked(flowId, 2);
    expect((await executions(flowId))[0]).toEqual({ id: alice, status: 'waiting' });

    await deliver(runtime, id, [{ id: 'w-3', type: 'message', from: 'alice', text: 'Alice Liddell', mid: 'wm-3' }]);
    const { port, message } = await answer(alice!);
    expect(port).toBe('reply');
    expect(message).toMatchObject({ eventId: 'w-3', accountId: id, contact: { id: 'alice' }, message: { text: 'Alice Liddell' } });
    await dispatched(runtime, id);
    expect(await executions(flowId)).toHaveLength(2);
    expect(await runtime.knex('channel_events').where({ credential_id: id, provider_event_id: 'w-3' }).first('status')).toEqual({ status: 'dispatched' });
  });

  it('gives the reply to the oldest of several executions waiting on the contact, then the next one to the next', async () => {
    const id = await testAccount(runtime);
    const first = await askingFlow(id);
    const second = await askingFlow(id);
    await deliver(runtime, id, [{ id: 'o-1', type: 'message', from: 'carol', text: 'start', mid: 'om-1' }]);
    await parked(first, 1);
    await parked(second, 1);
    const order: string[] = await runtime.knex('execution_waits').where({ event: `channel:${id}:carol` })
      .orderBy([{ column: 'created_at' }, { column: 'execution_id' }]).pluck('execution_id');
    expect(order).toHaveLength(2);

    await deliver(runtime, id, [{ id: 'o-2', type: 'message', from: 'carol', text: 'first answer', mid: 'om-2' }]);
    expect((await answer(order[0]!)).message).toMatchObject({ eventId: 'o-2' });
    expect(await runtime.knex('executions').where({ id: order[1] }).first('status')).toEqual({ status: 'waiting' });

    await deliver(runtime, id, [{ id: 'o-3', type: 'message', from: 'carol', text: 'second answer', mid: 'om-3' }]);
    expect((await answer(order[1]!)).message).toMatchObject({ eventId: 'o-3' });
    expect(await executions(first)).toHaveLength(1);
    expect(await executions(second)).toHaveLength(1);
  });

  it('takes the timeout port when nobody answers, and a later message then starts a new execution', async () => {
    const id = await testAccount(runtime);
    const flowId = await askingFlow(id, 1_500);
    await deliver(runtime, id, [{ id: 't-1', type: 'message', from: 'dave', text: 'hi', mid: 'tm-1' }]);
    const [waiting] = await parked(flowId, 1);
    const { port, message } = await answer(waiting!);
    expect(port).toBe('timeout');
    expect(message).toMatchObject({ eventId: 't-1' });
    expect(await runtime.knex('execution_waits').where({ execution_id: waiting }).first('resolution')).toEqual({ resolution: { kind: 'timer' } });

    // The timed-out wait is gone: the late reply is a new conversation turn, not a resume.
    await deliver(runtime, id, [{ id: 't-2', type: 'message', from: 'dave', text: 'sorry, late', mid: 'tm-2' }]);
    const rows = await until(async () => { const r = await executions(flowId); return r.length === 2 && r[1].status === 'waiting' && r; });
    expect(rows[0]).toEqual({ id: waiting, status: 'succeeded' });
  });
});
