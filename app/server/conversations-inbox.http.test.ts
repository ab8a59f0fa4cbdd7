import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/types.js';
import { channelFlow, deliver, dispatched, startChannelRuntime, testAccount, until } from '../../runtime/testing/channel-harness.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/** What the inbox page reads besides the conversations API's basics: which kinds are channels, and search. */

let runtime: Runtime;
let http: TestApi;

beforeAll(async () => {
  runtime = await startChannelRuntime();
  http = await serveTestApi(runtime, 'conversations inbox http test');
});

describe('GET /api/credential-kinds', () => {
  it('marks the kinds whose provider calls back (the inbox\'s channels; their credentials have a callback URL)', async () => {
    const kinds = (await http.api('GET', '/api/credential-kinds')).body as { kind: string; inbound?: boolean }[];
    const byKind = Object.fromEntries(kinds.map((k) => [k.kind, k]));
    expect(byKind['telegram-bot']?.inbound).toBe(true);
    expect(byKind['test-chat']?.inbound).toBe(true);
    expect(byKind['http-bearer']).not.toHaveProperty('inbound');
    expect(byKind['smtp']).not.toHaveProperty('inbound');
  });
});

describe('GET /api/conversations?q=', () => {
  let account: string;
  const threadsFor = async (q: string) => {
    const res = await http.api('GET', `/api/conversations?limit=200&q=${encodeURIComponent(q)}`);
    expect(res.status, res.text).toBe(200);
    return (res.body as { accountId: string; contact: { id: string } }[]).filter((t) => t.accountId === account).map((t) => t.contact.id).sort();
  };

  beforeAll(async () => {
    account = await testAccount(runtime);
    await channelFlow(runtime, account);
    await deliver(runtime, account, [
      { id: 'q-1', type: 'message', from: 'zoe-17', name: 'Zoë Müller', text: 'Hallo', mid: 'qm-1' },
      { id: 'q-2', type: 'message', from: 'bob_100%', name: 'Bob Stone', text: 'Hi', mid: 'qm-2' },
      { id: 'q-3', type: 'message', from: 'carl', text: 'no name given', mid: 'qm-3' },
    ]);
    await dispatched(runtime, account);
    await until(async () => (await threadsFor('')).length === 3, 15_000, 'the three threads');
  });

  it('finds threads by the contact\'s name or id, case-insensitively', async () => {
    expect(await threadsFor('zoë')).toEqual(['zoe-17']);
    expect(await threadsFor('MÜLLER')).toEqual(['zoe-17']);
    expect(await threadsFor('ZOE-1')).toEqual(['zoe-17']);
    expect(await threadsFor('car')).toEqual(['carl']);
    expect(await threadsFor('nobody like this')).toEqual([]);
  });

  it('finds every thread of an account by the account\'s name', async () => {
    const { body: credential } = await http.api('GET', `/api/credentials/${account}`);
    expect(await threadsFor(credential.name)).toEqual(['bob_100%', 'carl', 'zoe-17']);
  });

  it('takes % and _ as themselves, not as patterns', async () => {
    expect(await threadsFor('100%')).toEqual(['bob_100%']);
    expect(await threadsFor('b_1')).toEqual(['bob_100%']);
    // As a pattern 'b_o' would match "bob".
    expect(await threadsFor('b_o')).toEqual([]);
    // As a LIKE pattern '_' would match any one character, so every thread.
    expect(await threadsFor('_')).toEqual(['bob_100%']);
  });

  it('combines with the channel filter, and refuses an over-long search', async () => {
    expect(await threadsFor('zoe')).toEqual(['zoe-17']);
    const other = await http.api('GET', `/api/conversations?channel=telegram-bot&q=zoe&limit=200`);
    expect((other.body as { accountId: string }[]).filter((t) => t.accountId === account)).toEqual([]);
    const long = await http.api('GET', `/api/conversations?q=${'x'.repeat(201)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.code).toBe('validation_failed');
  });
});
