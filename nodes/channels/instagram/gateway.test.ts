import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isJsonObject, type JsonObject } from '@switchyard/sdk';
import { flow, WS } from '../../../runtime/testing/harness.js';
import { dispatched, until } from '../../../runtime/testing/channel-harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { graphTime } from '../meta/fake-instagram.js';
import { startGraphFake, type GraphFake } from '../meta/fake.js';
import { igComment, igMessaging, igText, instagramDelivery, metaJson, postMetaDelivery, verifyMetaCallback } from '../meta/fake-webhooks.js';
import { callbackOf, servedRuntime } from '../meta/gateway-testing.js';

/** End to end through the inbound gateway over HTTP, with the Graph fake as Instagram. */

const APP_SECRET = 'ig-app-secret-e2e';
let fake: GraphFake;
let runtime: Runtime;
let IG: string;

beforeAll(async () => {
  fake = await startGraphFake();
  ({ runtime } = await servedRuntime());
  IG = fake.instagram.account.id;
});
afterAll(async () => { await fake.close(); });

async function account(): Promise<{ id: string; url: string; verifyToken: string }> {
  const created = await runtime.credentials.create(WS, {
    name: `instagram ${randomUUID().slice(0, 8)}`, kind: 'instagram-messaging',
    data: { accessToken: fake.accessToken, igAccountId: IG, appSecret: APP_SECRET, baseUrl: fake.url },
  });
  return { id: created.id, ...(await callbackOf(runtime, created.id)) };
}

async function activeFlow(credentialId: string, trigger: string, nodes: Parameters<typeof flow>[1], edges: string[], triggerProps: Record<string, unknown> = {}): Promise<string> {
  const document = flow(`instagram flow ${randomUUID().slice(0, 8)}`, [
    { id: 'trigger', type: trigger, props: triggerProps, credentials: { account: 'ig' } },
    ...nodes.map((n) => ({ ...n, credentials: { account: 'ig' } })),
  ], edges, { credentials: { ig: { kind: 'instagram-messaging', id: credentialId } } });
  const created = await runtime.flows.create(WS, document);
  await runtime.flows.activate(WS, created.id);
  return created.id;
}

const executions = (flowId: string) => runtime.knex('executions').where({ flow_id: flowId, mode: 'channel' }).select('id', 'status');
const messageOf = (m: { body: JsonObject }): JsonObject => (isJsonObject(m.body.message) ? m.body.message : {});
const dmsTo = (id: string) => fake.instagram.messages.filter((m) => m.recipient.id === id).map(messageOf);

describe('an Instagram DM echo flow through the inbound gateway', () => {
  it('verifies the callback, answers each DM once though Meta delivers it three times, and its own echoes start nothing', async () => {
    const acct = await account();
    expect((await verifyMetaCallback(acct.url, acct.verifyToken, 'ch-77')).text).toBe('ch-77');
    const flowId = await activeFlow(acct.id, 'instagram.trigger', [
      { id: 'echo', type: 'instagram.send-dm', props: { text: 'Got it: {{ $json.text }}' } },
    ], ['trigger->echo']);
    const person = '6143260889082201';
    const delivery = metaJson(instagramDelivery(IG, [
      { messaging: [igText(person, IG, 'Tem tamanho M? 👗', { mid: 'mid.e2e.1' })] },
      { messaging: [igMessaging(person, IG, { message: { mid: 'mid.e2e.2', text: 'love it', reply_to: { story: { id: '1790', url: 'https://cdn.example/s.jpg' } } } })] },
    ]));
    const answers = await Promise.all([1, 2, 3].map(() => postMetaDelivery(acct.url, delivery, APP_SECRET)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await until(async () => dmsTo(person).length >= 2 && (await executions(flowId)).every((e) => e.status === 'succeeded'), 20_000, 'the echoes');
    await dispatched(runtime, acct.id);
    expect(dmsTo(person).map((m) => m.text).sort()).toEqual(['Got it: Tem tamanho M? 👗', 'Got it: love it']);
    // Meta echoes the account's own messages back; they are not the person writing.
    const echoes = fake.instagram.messages.map((m) => igMessaging(IG, person, { message: { mid: m.mid, text: messageOf(m).text ?? '', is_echo: true } }));
    expect((await postMetaDelivery(acct.url, metaJson(instagramDelivery(IG, [{ messaging: echoes }])), APP_SECRET)).status).toBe(200);
    await dispatched(runtime, acct.id);
    expect(await executions(flowId)).toHaveLength(2);
    expect(dmsTo(person)).toHaveLength(2);
    expect((await postMetaDelivery(acct.url, delivery, 'wrong-secret')).status).toBe(403);
    // A person answers from the inbox: a DM from the account.
    const thread = (await runtime.conversations.list(WS, { limit: 200 })).find((t) => t.accountId === acct.id && t.contact.id === person);
    const reply = await runtime.conversations.reply(WS, thread!.id, 'Sim, temos M!');
    expect(dmsTo(person).at(-1)).toEqual({ text: 'Sim, temos M!' });
    expect(reply).toMatchObject({ direction: 'out', providerMessageId: fake.instagram.messages.at(-1)!.mid });
    await runtime.flows.deactivate(WS, flowId);
  });
});

describe('Instagram comments to DMs through the gateway', () => {
  it('a comment webhook starts a private reply to its author; the account\'s own replies start nothing', async () => {
    const acct = await account();
    const media = fake.instagram.addMedia({ id: '17887498072083520', timestamp: graphTime(Date.now() - 3_600_000) });
    fake.instagram.addComment(media.id, { id: '17865799348089039', text: 'Price? 💸', timestamp: graphTime(Date.now()), from: { id: '232323', username: 'ana.b' } });
    const flowId = await activeFlow(acct.id, 'instagram.comment-trigger', [
      { id: 'dm', type: 'instagram.private-reply', props: { text: 'Hi @{{ $json.from.username }}, the price is ₹999.' } },
    ], ['trigger->dm'], { textFilter: 'contains', pattern: 'price' });
    const delivery = metaJson(instagramDelivery(IG, [{ changes: [
      igComment({ id: '17865799348089039', text: 'Price? 💸', from: { id: '232323', username: 'ana.b' }, mediaId: media.id }),
      igComment({ id: '17865799348089040', text: 'Price sent by DM', from: { id: IG, username: 'switchyard_shop' }, mediaId: media.id, parentId: '17865799348089039' }),
    ] }]));
    await Promise.all([postMetaDelivery(acct.url, delivery, APP_SECRET), postMetaDelivery(acct.url, delivery, APP_SECRET)]);
    await until(async () => fake.instagram.messages.some((m) => m.recipient.comment_id === '17865799348089039') && (await executions(flowId)).every((e) => e.status === 'succeeded'), 20_000, 'the private reply');
    await dispatched(runtime, acct.id);
    expect(fake.instagram.messages.filter((m) => m.recipient.comment_id).map((m) => [m.recipient.comment_id, messageOf(m).text])).toEqual([
      ['17865799348089039', 'Hi @ana.b, the price is ₹999.'],
    ]);
    expect(await executions(flowId)).toHaveLength(1);
    await runtime.flows.deactivate(WS, flowId);
  });

  it('the polling alternative: activation sets the marks, and a later poll starts one execution per new comment', async () => {
    const acct = await account();
    const media = fake.instagram.addMedia({ id: '17887498072099999', timestamp: graphTime(Date.now() - 60_000) });
    fake.instagram.addComment(media.id, { id: '17865700000000001', text: 'old price question', timestamp: graphTime(Date.now() - 30_000), from: { id: '5001', username: 'old' } });
    const flowId = await activeFlow(acct.id, 'instagram.comment-trigger', [
      { id: 'reply', type: 'instagram.reply-comment', props: { text: 'Thanks {{ $json.from.username }}!' } },
    ], ['trigger->reply'], { source: 'polling', mediaIds: [{ id: media.id }] });
    const cursor = async () => (await runtime.knex('trigger_cursors').where({ flow_id: flowId, node_id: 'trigger' }).first('cursor'))?.cursor as { nextPollAt: number; media: Record<string, unknown> } | null | undefined;
    await until(async () => (await cursor())?.media?.[media.id] !== undefined, 20_000, 'the first poll');
    expect(fake.instagram.replies).toEqual([]);

    // Time passes (the next poll is due) while a new comment arrives; re-activation polls at once.
    await runtime.flows.deactivate(WS, flowId);
    fake.instagram.addComment(media.id, { id: '17865700000000002', text: 'new one 😀', timestamp: graphTime(Date.now() + 1000), from: { id: '5002', username: 'newbie' } });
    const due = { ...(await cursor())!, nextPollAt: 0 };
    await runtime.knex('trigger_cursors').where({ flow_id: flowId, node_id: 'trigger' }).update({ cursor: JSON.stringify(due) });
    await runtime.flows.activate(WS, flowId);
    await until(async () => fake.instagram.replies.length === 1 && (await executions(flowId)).every((e) => e.status === 'succeeded'), 20_000, 'the reply to the new comment');
    expect(fake.instagram.replies).toEqual([{ commentId: '17865700000000002', id: expect.any(String), message: 'Thanks newbie!' }]);
    expect(await executions(flowId)).toHaveLength(1);
    await runtime.flows.deactivate(WS, flowId);
  });
});
