import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { channelFlow, deliver, startChannelRuntime, testAccount, until, WS } from '../testing/channel-harness.js';

// Decision 044: a step's outbound records are written by the step's own commit.
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startChannelRuntime();
});

/** Waits for the flow's one execution to end; returns its id and status. */
async function ended(flowId: string): Promise<{ id: string; status: string }> {
  return until(async () => {
    const row = await runtime.knex('executions').where({ flow_id: flowId }).first('id', 'status');
    return row && !['queued', 'running', 'waiting'].includes(row.status) && row;
  }, 15_000, 'the execution to end');
}

const outbound = (credentialId: string) => runtime.knex('conversation_messages')
  .where({ credential_id: credentialId, direction: 'out' }).orderBy('provider_message_id')
  .select('text', 'execution_id', 'step_key', 'contact_id', 'status', runtime.knex.raw('xmin::text as tx'));

describe('outbound messages recorded with the step that sent them', () => {
  it('writes a step\'s messages in the same transaction as the step, one thread for one contact, and the inbox hears of it', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id, {}, {
      nodes: [{ id: 'say', type: 'testchat.say', props: { texts: ['one', 'two'] }, credentials: { account: 'acct' } }],
      edges: ['trigger->say'],
    });
    const heard: unknown[] = [];
    const stop = await runtime.conversations.watch(WS, (change) => heard.push(change));
    try {
      await deliver(runtime, id, [{ id: 'oc-1', type: 'message', from: 'erin', text: 'hi', mid: 'ocm-1' }]);
      const execution = await ended(flowId);
      expect(execution.status).toBe('succeeded');
      const rows = await outbound(id);
      expect(rows.map((r: { text: string }) => r.text)).toEqual(['one', 'two']);
      const step = await runtime.knex('execution_steps').where({ execution_id: execution.id, step_key: 'say' }).first(runtime.knex.raw('xmin::text as tx'));
      for (const row of rows) {
        expect(row).toMatchObject({ execution_id: execution.id, step_key: 'say', status: 'sent', tx: step.tx });
      }
      // Inbound and both replies share the contact's one thread.
      const thread = await runtime.knex('contacts').where({ credential_id: id, provider_contact_id: 'erin' }).first('id');
      expect(new Set(rows.map((r: { contact_id: string }) => r.contact_id))).toEqual(new Set([thread.id]));
      await until(async () => heard.some((c) => JSON.stringify(c).includes(thread.id)), 5_000, 'the inbox to hear of the thread');
    } finally {
      await stop();
    }
  });

  it('keeps what a step sent when a later step fails the execution', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id, {}, {
      nodes: [
        { id: 'say', type: 'testchat.say', props: { texts: ['sent before the failure'] }, credentials: { account: 'acct' } },
        { id: 'stop', type: 'core.stop', props: { message: 'no further' } },
      ],
      edges: ['trigger->say', 'say->stop'],
    });
    await deliver(runtime, id, [{ id: 'oc-2', type: 'message', from: 'frank', text: 'hi', mid: 'ocm-2' }]);
    const execution = await ended(flowId);
    expect(execution.status).toBe('failed');
    expect(await outbound(id)).toMatchObject([{ text: 'sent before the failure', execution_id: execution.id, step_key: 'say' }]);
  });

  it('fails the step, recording nothing, when the account is not one of the workspace\'s credentials', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id, {}, {
      nodes: [{ id: 'say', type: 'testchat.say', props: { texts: ['astray'], fromAccount: 'not-a-credential-of-this-workspace' }, credentials: { account: 'acct' } }],
      edges: ['trigger->say'],
    });
    await deliver(runtime, id, [{ id: 'oc-3', type: 'message', from: 'grace', text: 'hi', mid: 'ocm-3' }]);
    const execution = await ended(flowId);
    expect(execution.status).toBe('failed');
    const record = await runtime.executions.get(WS, execution.id);
    expect(record.steps.find((s) => s.nodeId === 'say')?.error).toMatchObject({ code: 'unknown_account' });
    expect(Number((await runtime.knex('conversation_messages').where({ text: 'astray' }).count({ n: '*' }))[0]!.n)).toBe(0);
  });
});
