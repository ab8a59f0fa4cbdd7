import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/types.js';
import { startLocalServer } from '../../runtime/testing/harness.js';
import { channelFlow, dispatched, startChannelRuntime, testAccount, until, WS } from '../../runtime/testing/channel-harness.js';
import { sign } from '../../runtime/testing/test-channel.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

let runtime: Runtime;
let http: TestApi;
const sent: { to: string; text: string }[] = [];
let providerUrl: string;

beforeAll(async () => {
  runtime = await startChannelRuntime();
  http = await serveTestApi(runtime, 'channels http test');
  const provider = await startLocalServer((_req, body, res) => {
    const message = JSON.parse(body) as { to: string; text: string };
    if (message.text.includes('forbidden')) {
      res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"Forbidden: bot was blocked by the user"}');
      return;
    }
    sent.push(message);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${sent.length}` }));
  });
  providerUrl = provider.url;
});

/** POSTs a signed delivery to the account's callback URL over HTTP. */
function post(credentialId: string, events: unknown[], signature?: string | null) {
  const body = JSON.stringify({ events });
  return fetch(`${http.base}/inbound/${credentialId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-test-signature': signature ?? sign('test-signing-secret', body) }) },
    body,
  });
}

describe('/inbound/:credentialId over HTTP', () => {
  it('answers the handshake, acknowledges a signed delivery as the provider expects, and refuses bad ones as JSON errors', async () => {
    const id = await testAccount(runtime, { baseUrl: providerUrl });
    const flowId = await channelFlow(runtime, id);
    const { body: account } = await http.api('GET', `/api/credentials/${id}`);
    expect(account).toMatchObject({ id, callbackUrl: `https://switchyard.example/inbound/${id}`, verifyToken: { label: 'Verify token', value: expect.any(String) } });

    const challenge = await fetch(`${http.base}/inbound/${id}?hub.mode=subscribe&hub.verify_token=${account.verifyToken.value}&hub.challenge=987654`);
    expect(challenge.status).toBe(200);
    expect(await challenge.text()).toBe('987654');

    const ok = await post(id, [{ id: 'h-1', type: 'message', from: 'olga', text: 'hello', mid: 'hm-1' }]);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('EVENT_RECEIVED');

    const unsigned = await post(id, [{ id: 'h-2', type: 'message', from: 'olga', text: 'x' }], null);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toEqual({ error: { code: 'missing_signature', message: 'the x-test-signature header is missing' } });
    expect((await post(id, [{ id: 'h-3', type: 'message', from: 'olga' }], 'f'.repeat(64))).status).toBe(403);
    const malformed = await fetch(`${http.base}/inbound/${id}`, { method: 'POST', headers: { 'x-test-signature': sign('test-signing-secret', 'nope') }, body: 'nope' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-request-id')).toBeTruthy();
    expect((await malformed.json()).error).toMatchObject({ code: 'invalid_payload', message: 'the body is not JSON', details: [{ deliveryId: malformed.headers.get('x-request-id') }] });
    expect((await fetch(`${http.base}/inbound/no-such-account`, { method: 'POST', body: '{}' })).status).toBe(404);

    await dispatched(runtime, id);
    expect(await runtime.knex('channel_events').where({ credential_id: id }).pluck('provider_event_id')).toEqual(['h-1']);
    await until(async () => (await runtime.knex('executions').where({ flow_id: flowId })).length === 1);
  });
});

describe('the conversations API', () => {
  it('lists threads, shows one with its messages, sends a person\'s reply through the channel and pauses automation', async () => {
    const id = await testAccount(runtime, { baseUrl: providerUrl });
    await channelFlow(runtime, id, {}, {
      nodes: [{ id: 'ask', type: 'testchat.ask', props: { text: 'How can I help?' }, credentials: { account: 'acct' } }], edges: ['trigger->ask'],
    });
    await post(id, [{ id: 'c-1', type: 'message', from: 'pia', name: 'Pia', text: 'Hi!', mid: 'cm-1' }]);
    const threads = await until(async () => {
      const { body } = await http.api('GET', '/api/conversations?channel=test-chat&limit=200');
      const mine = (body as { id: string; accountId: string; lastMessage: { direction: string } | null }[]).filter((t) => t.accountId === id);
      return mine.length === 1 && mine[0]!.lastMessage?.direction === 'out' && mine;
    });
    const thread = threads[0]!;
    expect(thread).toMatchObject({ channel: 'test-chat', contact: { id: 'pia', name: 'Pia' }, unread: 1, automationPaused: false, blocked: false, lastMessage: { text: 'How can I help?' } });
    expect((await http.api('GET', '/api/conversations?status=unread&limit=200')).body.some((t: { id: string }) => t.id === thread.id)).toBe(true);

    const { body: detail } = await http.api('GET', `/api/conversations/${thread.id}`);
    expect(detail.messages.map((m: { direction: string; text: string }) => [m.direction, m.text])).toEqual([['in', 'Hi!'], ['out', 'How can I help?']]);
    const automated = detail.messages[1];
    expect(automated.executionId).toEqual(expect.any(String));
    expect((await http.api('GET', `/api/executions/${automated.executionId}?steps=none`)).status).toBe(200);
    // Opened: read.
    expect((await http.api('GET', `/api/conversations/${thread.id}`)).body.unread).toBe(0);

    const reply = await http.api('POST', `/api/conversations/${thread.id}/messages`, { text: 'A person here, let me check.' });
    expect(reply.status).toBe(201);
    expect(reply.body).toMatchObject({ direction: 'out', text: 'A person here, let me check.', executionId: null, status: 'sent', providerMessageId: `sent-${sent.length}` });
    expect(sent.at(-1)).toEqual({ to: 'pia', text: 'A person here, let me check.' });
    const refused = await http.api('POST', `/api/conversations/${thread.id}/messages`, { text: 'forbidden words' });
    expect(refused.status).toBe(502);
    expect(refused.body.error.message).toContain('bot was blocked by the user');

    const paused = await http.api('POST', `/api/conversations/${thread.id}/automation`, { paused: true });
    expect(paused.body).toMatchObject({ id: thread.id, automationPaused: true });
    expect((await http.api('GET', '/api/conversations?status=paused&limit=200')).body.map((t: { id: string }) => t.id)).toContain(thread.id);
  });

  it('answers bad requests with the usual errors', async () => {
    expect((await http.api('GET', '/api/conversations/nope')).status).toBe(404);
    expect((await http.api('POST', '/api/conversations/nope/automation', { paused: 'yes' })).body.error.code).toBe('validation_failed');
    expect((await http.api('POST', '/api/conversations/nope/messages', { text: '' })).status).toBe(400);
    expect((await http.api('GET', '/api/conversations?status=lost')).status).toBe(400);
    expect((await http.api('GET', '/api/conversations?before=yesterday')).body.error).toMatchObject({ code: 'invalid_query' });
  });
});

describe('listen for a test event', () => {
  it('starts a test run of the latest saved version with the account\'s next matching event, while the active flow gets its own', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id, { keyword: 'test' });
    const listen = await http.api('POST', `/api/flows/${flowId}/test-listen`, { nodeId: 'trigger' });
    expect(listen.status).toBe(201);
    expect(listen.body).toMatchObject({ listenId: expect.any(String), credentialId: id, expiresAt: expect.any(String) });
    const state = () => http.api('GET', `/api/flows/${flowId}/test-listen/${listen.body.listenId}`);
    expect((await state()).body).toEqual({ status: 'listening' });

    // Not matched by the trigger: no test run.
    await post(id, [{ id: 'l-1', type: 'message', from: 'quinn', text: 'hello' }]);
    await dispatched(runtime, id);
    expect((await state()).body).toEqual({ status: 'listening' });

    await post(id, [{ id: 'l-2', type: 'message', from: 'quinn', text: 'a test message' }]);
    const received = await until(async () => { const s = (await state()).body; return s.status === 'received' && s; });
    const runs = await runtime.knex('executions').where({ flow_id: flowId }).select('id', 'mode');
    expect(runs.map((r: { mode: string }) => r.mode).sort()).toEqual(['channel', 'manual']);
    expect(runs.find((r: { mode: string }) => r.mode === 'manual')!.id).toBe(received.executionId);

    // One event per listen: the next one starts no further test run.
    await post(id, [{ id: 'l-3', type: 'message', from: 'quinn', text: 'another test' }]);
    await dispatched(runtime, id);
    await until(async () => (await runtime.knex('executions').where({ flow_id: flowId, mode: 'channel' })).length === 2);
    expect(await runtime.knex('executions').where({ flow_id: flowId, mode: 'manual' })).toHaveLength(1);
  });

  it('refuses a node that is not a channel trigger', async () => {
    const id = await testAccount(runtime);
    const flowId = await channelFlow(runtime, id, {}, {}, { activate: false });
    const refused = await http.api('POST', `/api/flows/${flowId}/test-listen`, { nodeId: 'missing' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('not_a_channel_trigger');
    expect((await http.api('POST', `/api/flows/nope/test-listen`, { nodeId: 'trigger' })).status).toBe(404);
    expect((await http.api('GET', `/api/flows/${flowId}/test-listen/not-a-uuid`)).status).toBe(400);
  });
});

describe('credentials of kinds without deliveries', () => {
  it('have no callback URL', async () => {
    const created = await runtime.credentials.create(WS, { name: 'plain bearer', kind: 'http-bearer', data: { token: 'abcdefgh' } });
    const { body } = await http.api('GET', `/api/credentials/${created.id}`);
    expect(body.callbackUrl).toBeUndefined();
  });
});
