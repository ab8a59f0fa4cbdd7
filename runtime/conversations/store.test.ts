import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../types.js';
import { startChannelRuntime, testAccount, WS } from '../testing/channel-harness.js';
import { applyStatus, history, recordInbound, recordOutbound } from './store.js';

let runtime: Runtime;
let account: string;
beforeAll(async () => {
  runtime = await startChannelRuntime({}, { worker: false });
  account = await testAccount(runtime);
});

const sender = { executionId: 'exec-1', stepKey: 'send' };
const row = (providerMessageId: string) => runtime.knex('conversation_messages').where({ credential_id: account, provider_message_id: providerMessageId })
  .first('status', 'status_only', 'text', 'execution_id', 'step_key', 'contact_id');
const status = (providerMessageId: string, value: 'sent' | 'delivered' | 'read' | 'failed') =>
  applyStatus(runtime.knex, { workspaceId: WS, credentialId: account }, { providerMessageId, status: value, at: Date.now() });

describe('the conversation store', () => {
  it('moves a delivery status only forward, whatever order the statuses arrive in', async () => {
    expect(await recordOutbound(runtime.knex, WS, { credentialId: account, contactId: 'jo', providerMessageId: 'o-1', messageType: 'text', text: 'hi' }, sender)).toEqual(expect.any(String));
    expect(await row('o-1')).toMatchObject({ status: 'sent', execution_id: 'exec-1', step_key: 'send', status_only: false });
    await status('o-1', 'read');
    await status('o-1', 'delivered');
    await status('o-1', 'sent');
    expect((await row('o-1'))!.status).toBe('read');
    await status('o-1', 'failed');
    expect((await row('o-1'))!.status).toBe('failed');
    await status('o-1', 'read');
    expect((await row('o-1'))!.status).toBe('failed');
  });

  it('keeps a status that arrives before its message and applies it when the message is recorded', async () => {
    await status('o-2', 'delivered');
    expect(await row('o-2')).toMatchObject({ status: 'delivered', status_only: true, text: null, contact_id: null });
    expect(await history(runtime.knex, WS, account, 'kim', 10)).toEqual([]);
    await recordOutbound(runtime.knex, WS, { credentialId: account, contactId: 'kim', providerMessageId: 'o-2', messageType: 'text', text: 'your code is 1234' }, sender);
    expect(await row('o-2')).toMatchObject({ status: 'delivered', status_only: false, text: 'your code is 1234', execution_id: 'exec-1' });
    // Recording it again (a replayed step) changes nothing.
    await recordOutbound(runtime.knex, WS, { credentialId: account, contactId: 'kim', providerMessageId: 'o-2', messageType: 'text', text: 'changed' }, { executionId: 'other', stepKey: 'x' });
    expect(await row('o-2')).toMatchObject({ text: 'your code is 1234', execution_id: 'exec-1' });
  });

  it('gives the last messages with a contact, oldest first, in and out', async () => {
    await recordInbound(runtime.knex, { workspaceId: WS, credentialId: account, channel: 'test-chat' }, [
      { contactId: 'lee', contactName: 'Lee', providerMessageId: 'i-1', messageType: 'text', text: 'one', at: Date.now() - 3000 },
    ]);
    await recordOutbound(runtime.knex, WS, { credentialId: account, contactId: 'lee', providerMessageId: 'o-3', messageType: 'text', text: 'two' }, sender);
    await recordInbound(runtime.knex, { workspaceId: WS, credentialId: account, channel: 'test-chat' }, [
      { contactId: 'lee', providerMessageId: 'i-2', messageType: 'text', text: 'three', at: Date.now() + 1000 },
    ]);
    const last = await history(runtime.knex, WS, account, 'lee', 2);
    expect(last.map((m) => [m.direction, m.text, m.status])).toEqual([['out', 'two', 'sent'], ['in', 'three', 'received']]);
    expect((await history(runtime.knex, WS, account, 'lee', 10)).map((m) => m.text)).toEqual(['one', 'two', 'three']);
    // Another workspace sees nothing of it, and cannot record on this account.
    expect(await history(runtime.knex, 'another-workspace', account, 'lee', 10)).toEqual([]);
    expect(await recordOutbound(runtime.knex, 'another-workspace', { credentialId: account, contactId: 'lee', providerMessageId: 'o-4', messageType: 'text' }, sender)).toBeUndefined();
    expect(await row('o-4')).toBeUndefined();
  });
});
