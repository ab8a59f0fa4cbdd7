import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import type { Runtime } from '../types.js';
import { accountSecret } from './accounts.js';
import { channelFlow, deliver, dispatched, startChannelRuntime, testAccount, until, WS } from '../testing/channel-harness.js';

let runtime: Runtime;
beforeAll(async () => {
  runtime = await startChannelRuntime();
});

const events = (credentialId: string) => runtime.knex('channel_events').where({ credential_id: credentialId }).orderBy('received_at');
const executions = (flowId: string) => runtime.knex('executions').where({ flow_id: flowId }).select('id', 'mode', 'status', 'trigger_input');

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

describe('a delivery to an account\'s callback URL', () => {
  it('answers the handshake with exactly the challenge, and a wrong verify token with 403', async () => {
    const id = await testAccount(runtime);
    const info = await runtime.inbound.accountInfo(WS, id);
    expect(info).toEqual({ callbackUrl: `https://switchyard.example/inbound/${id}`, verifyToken: { label: 'Verify token', value: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/) } });
    expect(info!.verifyToken!.value).toBe(accountSecret(Buffer.from(runtime.config.encryptionKey!, 'hex'), id));
    const secret = info!.verifyToken!.value;
    const ok = await deliver(runtime, id, [], { method: 'GET', signature: null, query: { 'hub.mode': 'subscribe', 'hub.verify_token': secret, 'hub.challenge': '1158201444' } });
    expect(ok).toEqual({ status: 200, headers: { 'content-type': 'text/plain' }, body: '1158201444' });
    const wrong = await deliver(runtime, id, [], { method: 'GET', signature: null, query: { 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': 'x' } });
    expect(wrong.status).toBe(403);
    expect(await events(id)).toEqual([]);
  });

  it('refuses a missing signature (401) and a wrong, truncated or forged one (403), recording nothing', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id);
    const message = [{ id: 'sig-1', type: 'message', from: 'alice', text: 'hello' }];
    expect((await refusal(deliver(runtime, id, message, { signature: null }))).status).toBe(401);
    const forged = await refusal(deliver(runtime, id, message, { secret: 'not-the-secret' }));
    expect(forged).toMatchObject({ status: 403, code: 'invalid_signature' });
    expect(forged.message).toContain('x-test-signature');
    expect(forged.message).not.toContain('test-signing-secret');
    expect((await refusal(deliver(runtime, id, message, { signature: 'abc' }))).status).toBe(403);
    expect((await refusal(deliver(runtime, id, message, { signature: '\u00e9'.repeat(64) }))).status).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    expect(await events(id)).toEqual([]);
    expect(await executions(flowId)).toEqual([]);
  });

  it('refuses a malformed delivery with 400 naming the problem, recording nothing', async () => {
    const id = await testAccount(runtime);
    const notJson = await refusal(deliver(runtime, id, [], { rawBody: '{"events": [' }));
    expect(notJson).toMatchObject({ status: 400, code: 'invalid_payload', message: 'the body is not JSON' });
    const noEvents = await refusal(deliver(runtime, id, [], { rawBody: '{"entry": []}' }));
    expect(noEvents.message).toContain('"events"');
    expect(noEvents.details).toEqual([{ deliveryId: expect.any(String) }]);
    // A value Postgres cannot store is refused before the insert, not by a failing statement.
    const nul = await refusal(deliver(runtime, id, [{ id: 'nul', type: 'message', from: 'a', text: 'a\u0000b' }]));
    expect(nul).toMatchObject({ status: 400, code: 'invalid_payload' });
    expect(await events(id)).toEqual([]);
  });

  it('404s an unknown account and a kind that takes no deliveries', async () => {
    expect((await refusal(deliver(runtime, 'no-such-credential', []))).status).toBe(404);
    const plain = await runtime.credentials.create(WS, { name: 'a bearer token', kind: 'http-bearer', data: { token: 'abcdefgh' } });
    expect((await refusal(deliver(runtime, plain.id, []))).status).toBe(404);
  });

  it('starts one execution per event of a batched delivery, with the trigger-shaped input', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id);
    const answer = await deliver(runtime, id, [
      { id: 'b-1', type: 'message', from: 'alice', name: 'Alice', text: 'one', mid: 'm-1' },
      { id: 'b-2', type: 'message', from: 'bob', text: 'two', mid: 'm-2' },
      { id: 'b-3', type: 'callback', from: 'alice', choice: 'yes', mid: 'm-3' },
    ]);
    expect(answer).toEqual({ status: 200, headers: {}, body: 'EVENT_RECEIVED' });
    const rows = await until(async () => { const r = await executions(flowId); return r.length === 3 && r; });
    expect(rows.every((r: { mode: string }) => r.mode === 'channel')).toBe(true);
    const alice = rows.map((r: { trigger_input: Record<string, unknown> }) => r.trigger_input).find((input: Record<string, unknown>) => input.eventId === 'b-1');
    expect(alice).toEqual({
      text: 'one', from: 'alice', raw: { id: 'b-1', type: 'message', from: 'alice', name: 'Alice', text: 'one', mid: 'm-1' },
      eventId: 'b-1', eventType: 'message', accountId: id, contact: { id: 'alice', name: 'Alice' },
      message: { providerMessageId: 'm-1', messageType: 'text', text: 'one' }, status: null,
    });
    await dispatched(runtime, id);
    expect((await events(id)).map((e: { status: string }) => e.status)).toEqual(['dispatched', 'dispatched', 'dispatched']);
  });

  it('starts one execution when the same delivery arrives three times', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id);
    const delivery = [{ id: 'dup-1', type: 'message', from: 'carol', text: 'again?', mid: 'dup-m' }];
    for (let i = 0; i < 3; i++) expect((await deliver(runtime, id, delivery)).status).toBe(200);
    await dispatched(runtime, id);
    await until(async () => (await executions(flowId)).length >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(await executions(flowId)).toHaveLength(1);
    expect(await events(id)).toHaveLength(1);
    expect(await runtime.knex('conversation_messages').where({ credential_id: id, provider_message_id: 'dup-m' })).toHaveLength(1);
  });

  it('handles 1,000 distinct deliveries sent concurrently, each exactly once', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id);
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) =>
      deliver(runtime, id, [{ id: `c-${i}`, type: 'message', from: `contact-${i % 50}`, text: `n${i}`, mid: `cm-${i}` }])));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await dispatched(runtime, id, 60_000);
    const rows = await executions(flowId);
    expect(rows).toHaveLength(1000);
    expect(new Set(rows.map((r: { trigger_input: { eventId: string } }) => r.trigger_input.eventId)).size).toBe(1000);
    expect(await runtime.knex('conversation_messages').where({ credential_id: id })).toHaveLength(1000);
    expect(await runtime.knex('contacts').where({ credential_id: id })).toHaveLength(50);
    // 1,000 executions: the dispatch wait above allows 60 s on a loaded machine; so must the test.
  }, 120_000);

  it('never starts a message flow with a status event, and applies the status to the conversation', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id);
    await deliver(runtime, id, [{ id: 'st-1', type: 'status', from: 'dan', mid: 'wamid.out-1', status: 'delivered', at: Date.now() }]);
    await dispatched(runtime, id);
    expect(await executions(flowId)).toEqual([]);
    expect((await events(id))[0]).toMatchObject({ type: 'status', status: 'ignored' });
    expect(await runtime.knex('conversation_messages').where({ credential_id: id, provider_message_id: 'wamid.out-1' }).first('status', 'status_only'))
      .toEqual({ status: 'delivered', status_only: true });
  });

  it('gives the event to every active flow on the account whose filter matches', async () => {
    const id = await testAccount(runtime);
    const first = await channelFlow(runtime, id);
    const second = await channelFlow(runtime, id);
    const pricing = await channelFlow(runtime, id, { keyword: 'price' });
    await deliver(runtime, id, [{ id: 'two-1', type: 'message', from: 'erin', text: 'hello both', mid: 'two-m' }]);
    await dispatched(runtime, id);
    await until(async () => (await executions(first)).length === 1 && (await executions(second)).length === 1);
    expect(await executions(pricing)).toEqual([]);
  });

  it('records an event no active flow listens to as ignored, and still answers 2xx', async () => {
    const id = await testAccount(runtime);
    expect((await deliver(runtime, id, [{ id: 'lonely', type: 'message', from: 'fay', text: 'anyone?' }])).status).toBe(200);
    await dispatched(runtime, id);
    expect(await events(id)).toMatchObject([{ provider_event_id: 'lonely', status: 'ignored', contact_id: 'fay', type: 'message' }]);
  });

  it('skips a contact a person has taken over, for triggers that honour it', async () => {
    const id = await testAccount(runtime);
    const honours = await channelFlow(runtime, id);
    const ignoresHandoff = await channelFlow(runtime, id, { pauseOnHandoff: false });
    await deliver(runtime, id, [{ id: 'p-1', type: 'message', from: 'gus', text: 'first' }]);
    await until(async () => (await executions(honours)).length === 1 && (await executions(ignoresHandoff)).length === 1);
    const [thread] = await runtime.conversations.list(WS, { channel: 'test-chat' }).then((list) => list.filter((t) => t.accountId === id));
    await runtime.conversations.setAutomation(WS, thread!.id, true);
    await deliver(runtime, id, [{ id: 'p-2', type: 'message', from: 'gus', text: 'second' }]);
    await dispatched(runtime, id);
    await until(async () => (await executions(ignoresHandoff)).length === 2);
    expect(await executions(honours)).toHaveLength(1);
  });

  it('dispatches an event left pending by a process that died after the 2xx (the sweep)', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id);
    // What a web process killed between its insert and its dispatch leaves behind.
    await runtime.knex('channel_events').insert({
      id: 'left-behind', workspace_id: WS, credential_id: id, provider_event_id: 'orphan-1', type: 'message', contact_id: 'hal',
      payload: JSON.stringify({ id: 'orphan-1', type: 'message', contact: { id: 'hal' }, message: { providerMessageId: 'orphan-m', messageType: 'text', text: 'still here' }, data: { text: 'still here' } }),
      status: 'pending',
    });
    await runtime.knex('pending_channel_events').insert({ event_id: 'left-behind', dispatch_after: new Date(Date.now() - 1000) });
    const [execution] = await until(async () => { const r = await executions(flowId); return r.length > 0 && r; }, 20_000, 'the sweep');
    expect(execution.trigger_input).toMatchObject({ eventId: 'orphan-1', text: 'still here', contact: { id: 'hal' } });
    await dispatched(runtime, id);
    expect(await runtime.knex('channel_events').where({ id: 'left-behind' }).first('status')).toEqual({ status: 'dispatched' });
  });

  it('starts nothing again when the sweep takes an event whose executions were started but not marked (decision 045)', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id);
    await deliver(runtime, id, [{ id: 'twice-1', type: 'message', from: 'ida', text: 'once only' }]);
    const [first] = await until(async () => { const r = await executions(flowId); return r.length > 0 && r; }, 15_000, 'the execution');
    await dispatched(runtime, id);
    // What a process killed between starting the executions and marking the event leaves behind.
    const [event] = await runtime.knex('channel_events').where({ credential_id: id }).update({ status: 'pending' }).returning('id');
    await runtime.knex('pending_channel_events').insert({ event_id: event.id, dispatch_after: new Date(Date.now() - 1000) });
    await until(async () => (await runtime.knex('channel_events').where({ credential_id: id, status: 'pending' })).length === 0, 20_000, 'the sweep');
    expect((await executions(flowId)).map((e: { id: string }) => e.id)).toEqual([first.id]);
  });

  it('starts nothing again for an event whose execution was deduplicated by an inbound event row (before decision 045)', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id);
    const node = (await runtime.knex('channel_triggers').where({ flow_id: flowId }).first('node_id')).node_id;
    await runtime.knex('inbound_events').insert({ id: 'legacy-dedupe', workspace_id: WS, flow_id: flowId, source: `channel:${flowId}:${node}`, provider_event_id: `${id}:legacy-1`, payload: '{}' });
    await runtime.knex('channel_events').insert({
      id: 'legacy-pending', workspace_id: WS, credential_id: id, provider_event_id: 'legacy-1', type: 'message', contact_id: 'jo',
      payload: JSON.stringify({ id: 'legacy-1', type: 'message', contact: { id: 'jo' }, message: { providerMessageId: 'legacy-m', messageType: 'text', text: 'old' }, data: { text: 'old' } }),
      status: 'pending',
    });
    await runtime.knex('pending_channel_events').insert({ event_id: 'legacy-pending', dispatch_after: new Date(Date.now() - 1000) });
    await until(async () => (await runtime.knex('channel_events').where({ id: 'legacy-pending' }).first('status'))?.status !== 'pending', 20_000, 'the sweep');
    expect(await executions(flowId)).toEqual([]);
  });
});
