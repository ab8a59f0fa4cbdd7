import { beforeAll, expect, it } from 'vitest';
import type { Runtime } from '../../../runtime/types.js';
import { recordOutbound } from '../../../runtime/conversations/store.js';
import { channelFlow, deliver, startChannelRuntime, testAccount, until, WS } from '../../../runtime/testing/channel-harness.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startChannelRuntime();
});

/** The history node's output in the execution the event `eventId` started. */
async function historyOf(flowId: string, eventId: string): Promise<{ messages: unknown[]; count: number }> {
  const execution = await until(async () => {
    const rows = await runtime.knex('executions').where({ flow_id: flowId, status: 'succeeded' }).select('id', 'trigger_input');
    return rows.find((r: { trigger_input: { eventId: string } }) => r.trigger_input.eventId === eventId);
  });
  const record = await runtime.executions.get(WS, execution.id);
  return record.steps.find((s) => s.nodeId === 'history')!.output!.main as { messages: unknown[]; count: number };
}

it('gives the flow the contact\'s last messages on the account that started it, as chat turns or as stored', async () => {
  const id = await testAccount(runtime);
  const chat = await channelFlow(runtime, id, {}, { nodes: [{ id: 'history', type: 'channels.conversation-history', props: { limit: 3 } }], edges: ['trigger->history'] });
  const raw = await channelFlow(runtime, id, {}, { nodes: [{ id: 'history', type: 'channels.conversation-history', props: { format: 'raw' } }], edges: ['trigger->history'] });

  await deliver(runtime, id, [{ id: 'h-1', type: 'message', from: 'mia', text: 'Do you ship to Lisbon?', mid: 'hm-1' }]);
  expect(await historyOf(chat, 'h-1')).toEqual({ messages: [{ role: 'user', content: 'Do you ship to Lisbon?' }], count: 1 });

  await recordOutbound(runtime.knex, WS, { credentialId: id, contactId: 'mia', providerMessageId: 'ho-1', messageType: 'text', text: 'Yes, in 3 days.' }, { person: true });
  await recordOutbound(runtime.knex, WS, { credentialId: id, contactId: 'mia', providerMessageId: 'ho-2', messageType: 'image' }, { person: true });
  // Someone else's conversation is not part of it.
  await deliver(runtime, id, [{ id: 'h-x', type: 'message', from: 'noah', text: 'unrelated', mid: 'hm-x' }]);
  await deliver(runtime, id, [{ id: 'h-2', type: 'message', from: 'mia', text: 'Great, thanks', mid: 'hm-2' }]);
  expect(await historyOf(chat, 'h-2')).toEqual({
    messages: [{ role: 'assistant', content: 'Yes, in 3 days.' }, { role: 'assistant', content: '[image]' }, { role: 'user', content: 'Great, thanks' }],
    count: 3,
  });
  const stored = await historyOf(raw, 'h-2');
  expect(stored.count).toBe(4);
  expect(stored.messages[0]).toEqual({ direction: 'in', text: 'Do you ship to Lisbon?', messageType: 'text', at: expect.any(String), status: 'received', providerMessageId: 'hm-1' });
});

it('fails naming the contact expression when the flow was not started by a contact', async () => {
  const id = await testAccount(runtime);
  const created = await runtime.flows.create(WS, {
    format: 'switchyard/flow@1', name: 'no contact',
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
      { id: 'history', type: 'channels.conversation-history', typeVersion: 1, position: { x: 200, y: 0 }, props: { accountId: id } },
    ],
    edges: [{ id: 'e', source: 'start', sourceHandle: 'main', target: 'history', targetHandle: 'main' }],
  });
  const { executionId } = await runtime.executions.run(WS, created.id, {});
  const record = await runtime.executions.waitFor(WS, executionId, 15_000);
  expect(record.status).toBe('failed');
  expect(record.error).toMatchObject({ nodeId: 'history', message: expect.stringContaining('{{ $trigger.contact.id }}') });
});
