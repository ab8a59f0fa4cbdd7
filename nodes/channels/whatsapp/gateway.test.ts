import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flow, WS } from '../../../runtime/testing/harness.js';
import { dispatched, until } from '../../../runtime/testing/channel-harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { startGraphFake, type GraphFake } from '../meta/fake.js';
import { metaJson, postMetaDelivery, verifyMetaCallback, waButtonReply, waStatus, waText, whatsappDelivery, whatsappTexts, type WhatsAppBusiness } from '../meta/fake-webhooks.js';
import { callbackOf, recordedEvents, servedRuntime } from '../meta/gateway-testing.js';

/**
 * End to end through the inbound gateway over HTTP: Meta's handshake, signed (batched) deliveries
 * POSTed to the account's callback URL as Meta sends them, flows on a real worker, and their sends
 * reaching the Graph fake.
 */

const APP_SECRET = 'wa-app-secret-e2e';
let fake: GraphFake;
let runtime: Runtime;
let business: WhatsAppBusiness;

beforeAll(async () => {
  fake = await startGraphFake();
  ({ runtime } = await servedRuntime());
  business = { wabaId: '102290129340398', phoneNumberId: fake.phoneNumbers[0]!.id, displayPhoneNumber: fake.phoneNumbers[0]!.display };
});
afterAll(async () => { await fake.close(); });

async function account(): Promise<{ id: string; url: string; verifyToken: string; label: string }> {
  const created = await runtime.credentials.create(WS, {
    name: `whatsapp ${randomUUID().slice(0, 8)}`, kind: 'whatsapp-cloud',
    data: { accessToken: fake.accessToken, phoneNumberId: business.phoneNumberId, wabaId: business.wabaId, appSecret: APP_SECRET, baseUrl: fake.url },
  });
  return { id: created.id, ...(await callbackOf(runtime, created.id)) };
}

async function activeFlow(credentialId: string, nodes: Parameters<typeof flow>[1], edges: string[], triggerProps: Record<string, unknown> = {}): Promise<string> {
  const document = flow(`whatsapp flow ${randomUUID().slice(0, 8)}`, [
    { id: 'trigger', type: 'whatsapp.trigger', props: triggerProps, credentials: { account: 'wa' } },
    ...nodes.map((n) => ({ ...n, credentials: { account: 'wa' } })),
  ], edges, { credentials: { wa: { kind: 'whatsapp-cloud', id: credentialId } } });
  const created = await runtime.flows.create(WS, document);
  await runtime.flows.activate(WS, created.id);
  return created.id;
}

const executions = (flowId: string) => runtime.knex('executions').where({ flow_id: flowId, mode: 'channel' }).select('id', 'status');
const sentTo = (waId: string) => fake.whatsappMessages.filter((m) => m.to === `+${waId}`);
const bodyText = (m: { body: Record<string, unknown> }) => (m.body.text as { body: string } | undefined)?.body;

describe('a WhatsApp echo flow through the inbound gateway', () => {
  let acct: Awaited<ReturnType<typeof account>>;
  let flowId: string;
  const T = Math.floor(Date.now() / 1000) * 1000;

  it('answers Meta\'s subscription check with the challenge for the verify token the editor shows, and 403 otherwise', async () => {
    acct = await account();
    expect(acct.url).toMatch(new RegExp(`/inbound/${acct.id}$`));
    expect(acct.label).toBe('Verify token');
    expect(await verifyMetaCallback(acct.url, acct.verifyToken, '1158201444')).toEqual({ status: 200, text: '1158201444', contentType: expect.stringMatching(/^text\/plain/) });
    expect((await verifyMetaCallback(acct.url, `${acct.verifyToken}x`, '1158201444')).status).toBe(403);
  });

  it('a signed batched delivery starts one execution per message, statuses start none, and three deliveries of it reply once each', async () => {
    flowId = await activeFlow(acct.id, [
      { id: 'echo', type: 'whatsapp.send-text', props: { text: 'You said: {{ $json.text }} (until {{ $json.windowClosesAt }})' } },
    ], ['trigger->echo']);
    const delivery = metaJson(whatsappDelivery(business, [
      [{ statuses: [waStatus('wamid.EARLIER', '16505551234', 'delivered', { at: T }), waStatus('wamid.EARLIER', '16505551234', 'sent', { at: T - 1000 })] },
        { contacts: [{ waId: '16505551234', name: 'Sheena' }], messages: [waText('16505551234', 'Café? ☕ 😀', { id: 'wamid.E2E1', at: T })] }],
      [{ contacts: [{ waId: '447911123456', name: 'Ali' }, { waId: '919876543210', name: 'Priya' }], messages: [waText('447911123456', 'hello', { id: 'wamid.E2E2', at: T }), waText('919876543210', 'नमस्ते', { id: 'wamid.E2E3', at: T })] }],
    ]));
    expect(delivery).toContain('Caf\\u00e9');
    const answers = await Promise.all([1, 2, 3].map(() => postMetaDelivery(acct.url, delivery, APP_SECRET)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await until(async () => fake.whatsappMessages.length >= 3 && (await executions(flowId)).every((e) => e.status === 'succeeded'), 20_000, 'the echoes');
    await dispatched(runtime, acct.id);
    expect(await executions(flowId)).toHaveLength(3);
    const window = new Date(T + 86_400_000).toISOString();
    expect(sentTo('16505551234').map(bodyText)).toEqual([`You said: Café? ☕ 😀 (until ${window})`]);
    expect(sentTo('447911123456').map(bodyText)).toEqual([`You said: hello (until ${window})`]);
    expect(sentTo('919876543210').map(bodyText)).toEqual([`You said: नमस्ते (until ${window})`]);
  });

  it('a status for the reply moves it in the conversation and starts no flow', async () => {
    const reply = sentTo('16505551234')[0]!;
    const answer = await postMetaDelivery(acct.url, metaJson(whatsappDelivery(business, [[{ statuses: [waStatus(reply.id, '16505551234', 'read', { at: T + 5000 }), waStatus(reply.id, '16505551234', 'delivered', { at: T + 4000 })] }]])), APP_SECRET);
    expect(answer.status).toBe(200);
    await dispatched(runtime, acct.id);
    const thread = (await runtime.conversations.list(WS, { limit: 200 })).find((t) => t.accountId === acct.id && t.contact.id === '16505551234');
    expect(thread?.contact).toEqual({ id: '16505551234', name: 'Sheena' });
    expect(thread?.lastInboundAt).toBe(new Date(T).toISOString());
    const detail = await runtime.conversations.get(WS, thread!.id);
    expect(detail.messages.map((m) => [m.direction, m.providerMessageId, m.status])).toEqual([
      ['in', 'wamid.E2E1', 'received'],
      ['out', reply.id, 'read'],
    ]);
    expect(await executions(flowId)).toHaveLength(3);
  });

  it('a person replies from the inbox through the number', async () => {
    const thread = (await runtime.conversations.list(WS, { limit: 200 })).find((t) => t.accountId === acct.id && t.contact.id === '447911123456');
    const reply = await runtime.conversations.reply(WS, thread!.id, 'A person here 🙂');
    const sent = sentTo('447911123456').at(-1)!;
    expect(bodyText(sent)).toBe('A person here 🙂');
    expect(reply).toMatchObject({ direction: 'out', providerMessageId: sent.id, status: 'sent' });
  });

  it('refuses a missing, forged or truncated signature and a malformed body, recording nothing', async () => {
    const before = await recordedEvents(runtime, acct.id);
    const body = metaJson(whatsappTexts(business, [{ from: '16505550000', name: 'Mallory', text: 'forged' }]));
    expect((await postMetaDelivery(acct.url, body, APP_SECRET, { signature: null })).status).toBe(401);
    expect((await postMetaDelivery(acct.url, body, 'another-app-secret')).status).toBe(403);
    expect((await postMetaDelivery(acct.url, body, APP_SECRET, { signature: 'sha256=abc' })).status).toBe(403);
    const truncated = body.slice(0, body.length - 10);
    const malformed = await postMetaDelivery(acct.url, truncated, APP_SECRET);
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.text)).toMatchObject({ error: { message: expect.stringMatching(/not JSON/) } });
    expect(await recordedEvents(runtime, acct.id)).toBe(before);
    expect(sentTo('16505550000')).toEqual([]);
  });

  it('a reply outside the 24-hour window (131047) fails the step with an error that says to use a template', async () => {
    fake.failFor('16505559999', { code: 131047 });
    await postMetaDelivery(acct.url, metaJson(whatsappTexts(business, [{ from: '16505559999', name: 'Late', text: 'still there?' }])), APP_SECRET);
    const failed = await until(async () => (await executions(flowId)).find((e) => e.status === 'failed'), 20_000, 'the failed execution');
    const record = await runtime.executions.get(WS, failed.id);
    const step = record.steps.find((s) => s.nodeId === 'echo');
    expect(step).toMatchObject({ status: 'failed', attempt: 1, error: { code: 'outside_window', message: expect.stringMatching(/^WhatsApp error 131047 \(HTTP 400\): Re-engagement message.*send template/) } });
    expect(JSON.stringify(record)).not.toContain(fake.accessToken);
    await runtime.flows.deactivate(WS, flowId);
  });
});

describe('WhatsApp send and wait for a choice through the gateway', () => {
  it('the tapped button resumes the waiting execution on its output, once, without a new execution', async () => {
    const acct = await account();
    const flowId = await activeFlow(acct.id, [
      { id: 'ask', type: 'whatsapp.send-and-wait-choice', props: { text: 'Confirm the order?', choices: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] } },
      { id: 'confirmed', type: 'whatsapp.send-text', props: { text: 'Confirmed ✅' } },
      { id: 'cancelled', type: 'whatsapp.send-text', props: { text: 'Cancelled' } },
    ], ['trigger->ask', 'ask:yes->confirmed', 'ask:no->cancelled'], { textFilter: 'equals', pattern: 'order' });
    const contact = '14155550123';
    await postMetaDelivery(acct.url, metaJson(whatsappTexts(business, [{ from: contact, name: 'Buyer', text: 'order' }])), APP_SECRET);
    const question = await until(async () => sentTo(contact)[0], 20_000, 'the question');
    expect(question.body.interactive).toMatchObject({ type: 'button', action: { buttons: [{ type: 'reply', reply: { id: 'yes', title: 'Yes' } }, { type: 'reply', reply: { id: 'no', title: 'No' } }] } });
    await until(async () => (await executions(flowId)).some((e) => e.status === 'waiting'), 20_000, 'the execution to park');
    const tap = metaJson(whatsappDelivery(business, [[{ contacts: [{ waId: contact, name: 'Buyer' }], messages: [waButtonReply(contact, { id: 'yes', title: 'Yes' }, { context: { from: business.displayPhoneNumber, id: question.id } })] }]]));
    await Promise.all([postMetaDelivery(acct.url, tap, APP_SECRET), postMetaDelivery(acct.url, tap, APP_SECRET)]);
    await until(async () => sentTo(contact).length === 2 && (await executions(flowId)).every((e) => e.status === 'succeeded'), 20_000, 'the answer');
    expect(sentTo(contact).map((m) => m.type)).toEqual(['interactive', 'text']);
    expect(bodyText(sentTo(contact)[1]!)).toBe('Confirmed ✅');
    expect(await executions(flowId)).toHaveLength(1);
    await runtime.flows.deactivate(WS, flowId);
  });
});
