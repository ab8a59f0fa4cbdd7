import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../../app/server/http.server.js';
import { flow, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import { dispatched, until } from '../../../runtime/testing/channel-harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { startTelegramFake, type TelegramFake } from './fake.js';

/**
 * End to end through the inbound gateway over HTTP: activation registers the webhook on the Bot API
 * fake, the fake delivers updates to it as Telegram would, the flows run on a real worker and their
 * replies reach the fake; deactivation deletes the webhook.
 */

let fake: TelegramFake;
let runtime: Runtime;
let base: string;

/** A free port, so the runtime's public URL (where Telegram must deliver) is known before it starts. */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  fake = await startTelegramFake();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  runtime = await startTestRuntime({ publicUrl: base });
  const server = await createHttpServer(runtime, { closeGraceMs: 1000 }).listen(port, '127.0.0.1');
  afterAll(() => server.close());
});
afterAll(async () => { await fake.close(); });

async function botAccount(): Promise<string> {
  const created = await runtime.credentials.create(WS, { name: `telegram bot ${Date.now()}-${Math.random()}`, kind: 'telegram-bot', data: { token: fake.token, baseUrl: fake.url } });
  return created.id;
}

/** A flow: Telegram trigger → `nodes`, on the bot `credentialId`. */
async function botFlow(credentialId: string, nodes: Parameters<typeof flow>[1], edges: string[], triggerProps: Record<string, unknown> = {}): Promise<string> {
  const document = flow(`telegram flow ${Date.now()}`, [
    { id: 'trigger', type: 'telegram.trigger', props: triggerProps, credentials: { bot: 'tg' } },
    ...nodes.map((n) => ({ ...n, credentials: { bot: 'tg' } })),
  ], edges, { credentials: { tg: { kind: 'telegram-bot', id: credentialId } } });
  return (await runtime.flows.create(WS, document)).id;
}

const executions = (flowId: string, mode = 'channel') => runtime.knex('executions').where({ flow_id: flowId, mode }).select('id', 'status');

describe('a Telegram echo bot through the inbound gateway', () => {
  let credentialId: string;
  let flowId: string;
  let firstMessageId: number;

  it('activation points the bot\'s webhook at the account\'s callback URL with its secret and update kinds', async () => {
    credentialId = await botAccount();
    flowId = await botFlow(credentialId, [
      { id: 'echo', type: 'telegram.send-message', props: { text: '*Echo:* {text}', parseMode: 'MarkdownV2', values: [{ name: 'text', value: '{{ $trigger.text }}' }] } },
    ], ['trigger->echo']);
    await runtime.flows.activate(WS, flowId);
    expect(fake.webhook).toEqual({
      url: `${base}/inbound/${credentialId}`, secretToken: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      allowedUpdates: ['message', 'callback_query'], dropPendingUpdates: false,
    });
  });

  it('replies exactly once to a message, also when Telegram delivers it three times', async () => {
    const update = fake.userMessage(5550001, 'Hi! Is 1.5 * 2 = 3? (yes)');
    firstMessageId = (update.message as { message_id: number }).message_id;
    const answers = await Promise.all([fake.deliver(update), fake.deliver(update), fake.deliver(update)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await until(async () => fake.sentTo(5550001).length === 1 && (await executions(flowId)).every((e) => e.status === 'succeeded'), 20_000, 'the echo');
    await dispatched(runtime, credentialId);
    expect(await executions(flowId)).toHaveLength(1);
    expect(fake.sentTo(5550001).map((m) => m.text)).toEqual(['Echo: Hi! Is 1.5 * 2 = 3? (yes)']);
  });

  it('keeps the thread in the inbox, where a person can reply through the bot', async () => {
    const thread = (await runtime.conversations.list(WS, { channel: 'telegram-bot', limit: 200 })).find((t) => t.accountId === credentialId && t.contact.id === '5550001');
    expect(thread?.contact).toEqual({ id: '5550001', name: 'Ada Lovelace' });
    const detail = await runtime.conversations.get(WS, thread!.id);
    expect(detail.messages.map((m) => [m.direction, m.text, m.providerMessageId])).toEqual([
      ['in', 'Hi! Is 1.5 * 2 = 3? (yes)', `5550001:${firstMessageId}`],
      ['out', 'Echo: Hi! Is 1.5 * 2 = 3? (yes)', `5550001:${fake.sentTo(5550001)[0]!.messageId}`],
    ]);
    expect(detail.messages[1]?.executionId).toEqual(expect.any(String));
    const reply = await runtime.conversations.reply(WS, thread!.id, 'A person here.');
    expect(reply).toMatchObject({ direction: 'out', text: 'A person here.', status: 'sent', providerMessageId: `5550001:${fake.sentTo(5550001)[1]!.messageId}` });
  });

  it('a contact who blocked the bot fails the reply without a retry and is marked blocked', async () => {
    fake.block(5550004);
    await fake.deliver(fake.userMessage(5550004, 'bye'));
    await until(async () => (await executions(flowId)).some((e) => e.status === 'failed'), 20_000, 'the failed reply');
    const thread = await until(async () => (await runtime.conversations.list(WS, { status: 'blocked', limit: 200 })).find((t) => t.accountId === credentialId && t.contact.id === '5550004'), 20_000, 'the blocked thread');
    expect(thread.blocked).toBe(true);
    expect(fake.calls.filter((c) => c.method === 'sendMessage' && c.params.chat_id === '5550004')).toHaveLength(1);
    fake.unblock(5550004);
  });

  it('refuses a delivery without the secret token or with a wrong one, recording nothing', async () => {
    const before = await runtime.knex('channel_events').where({ credential_id: credentialId }).count<{ n: string }[]>({ n: '*' });
    const body = JSON.stringify(fake.userMessage(5550002, 'forged'));
    const missing = await fetch(`${base}/inbound/${credentialId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const wrong = await fetch(`${base}/inbound/${credentialId}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'x'.repeat(32) }, body });
    expect([missing.status, wrong.status]).toEqual([401, 403]);
    const after = await runtime.knex('channel_events').where({ credential_id: credentialId }).count<{ n: string }[]>({ n: '*' });
    expect(after).toEqual(before);
    expect(fake.sentTo(5550002)).toEqual([]);
  });

  it('listening for a test event does not touch the webhook; the active flow keeps its messages', async () => {
    const changes = fake.webhookChanges.length;
    const listen = await runtime.inbound.listenForTest(WS, flowId, 'trigger');
    expect(fake.webhookChanges).toHaveLength(changes);
    await fake.deliver(fake.userMessage(5550003, 'test me'));
    const received = await until(async () => {
      const state = await runtime.inbound.testListenState(WS, flowId, listen.listenId);
      return state.status === 'received' && state;
    }, 20_000, 'the test event');
    expect(received).toMatchObject({ executionId: expect.any(String) });
    await until(async () => fake.sentTo(5550003).length === 2, 20_000, 'both replies');
    expect(await executions(flowId)).toHaveLength(3);
    expect(await executions(flowId, 'manual')).toHaveLength(1);
    expect(fake.webhook?.url).toBe(`${base}/inbound/${credentialId}`);
  });

  it('deactivation deletes the webhook', async () => {
    await runtime.flows.deactivate(WS, flowId);
    expect(fake.webhook).toBeNull();
    expect(fake.webhookChanges.at(-1)).toEqual({ action: 'delete' });
  });
});

describe('send and wait for a choice through the gateway', () => {
  it('the button press resumes the waiting execution on the chosen output, answered once, without a new execution', async () => {
    const credentialId = await botAccount();
    const flowId = await botFlow(credentialId, [
      { id: 'ask', type: 'telegram.send-and-wait-choice', props: { text: 'Ship it?', choices: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }], pressedText: 'Noted: {choice}' } },
      { id: 'shipped', type: 'telegram.send-message', props: { text: 'Shipping now.' } },
      { id: 'held', type: 'telegram.send-message', props: { text: 'Holding it.' } },
    ], ['trigger->ask', 'ask:yes->shipped', 'ask:no->held'], { commands: '/start' });
    await runtime.flows.activate(WS, flowId);

    const chat = 5550010;
    await fake.deliver(fake.userMessage(chat, '/start'));
    const question = await until(async () => fake.sentTo(chat)[0], 20_000, 'the question');
    expect(question).toMatchObject({ text: 'Ship it?', replyMarkup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }], [{ text: 'No', callback_data: 'no' }]] } });
    await until(async () => (await executions(flowId)).some((e) => e.status === 'waiting'), 20_000, 'the execution to park');

    const press = fake.buttonPress(chat, question.messageId, 'yes');
    await Promise.all([fake.deliver(press), fake.deliver(press)]);
    await until(async () => fake.sentTo(chat).length === 2, 20_000, 'the answer');
    await until(async () => (await executions(flowId)).every((e) => e.status === 'succeeded'), 20_000, 'the execution to finish');
    expect(fake.sentTo(chat).map((m) => m.text)).toEqual(['Ship it?', 'Shipping now.']);
    expect(fake.callbackAnswers.filter((a) => a.callback_query_id === (press.callback_query as { id: string }).id)).toEqual([
      { callback_query_id: (press.callback_query as { id: string }).id, text: 'Noted: Yes' },
    ]);
    expect(await executions(flowId)).toHaveLength(1);
    await runtime.flows.deactivate(WS, flowId);
  });
});
