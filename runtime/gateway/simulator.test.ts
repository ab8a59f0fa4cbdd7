import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpServer } from '../../app/server/http.server.js';
import { startTelegramFake, type TelegramFake } from '../../nodes/channels/telegram/fake.js';
import { dispatched, until } from '../testing/channel-harness.js';
import { flow, startTestRuntime, WS } from '../testing/harness.js';
import type { Runtime } from '../types.js';

/**
 * The chat simulator (decision 031) with the real Telegram nodes and a real worker: what the editor
 * types goes through the bot's own signed delivery path, starts only the edited flow's latest saved
 * version, and the bot's replies stay in the conversation store — the Bot API fake counts none.
 */

let fake: TelegramFake;
let runtime: Runtime;
let credentialId: string;

/** A free port, so the runtime's public URL (where the fake delivers real updates) is known before it starts. */
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
  runtime = await startTestRuntime({ publicUrl: `http://127.0.0.1:${port}` });
  const server = await createHttpServer(runtime, { closeGraceMs: 1000 }).listen(port, '127.0.0.1');
  afterAll(() => server.close());
  credentialId = (await runtime.credentials.create(WS, { name: `sim bot ${Date.now()}`, kind: 'telegram-bot', data: { token: fake.token, baseUrl: fake.url } })).id;
});
afterAll(async () => { await fake.close(); });

function botFlow(name: string, nodes: Parameters<typeof flow>[1], edges: string[], triggerProps: Record<string, unknown> = {}) {
  return flow(name, [
    { id: 'trigger', type: 'telegram.trigger', props: triggerProps, credentials: { bot: 'tg' } },
    ...nodes.map((n) => ({ ...n, credentials: { bot: 'tg' } })),
  ], edges, { credentials: { tg: { kind: 'telegram-bot', id: credentialId } } });
}

const echo = (text: string) => ({ id: 'echo', type: 'telegram.send-message', props: { text, parseMode: 'MarkdownV2', values: [{ name: 'text', value: '{{ $trigger.text }}' }] } });
const executions = (flowId: string) => runtime.knex('executions').where({ flow_id: flowId }).select('id', 'status', 'mode');
/** Every Bot API send the fake received (the simulator must add none). */
const sends = () => fake.calls.filter((c) => /^(send|edit|answerCallbackQuery)/.test(c.method)).length;

describe('chatting with a draft flow in the simulator', () => {
  let edited: string;
  let active: string;

  beforeAll(async () => {
    edited = (await runtime.flows.create(WS, botFlow('simulated echo', [echo('*Echo:* {text}')], ['trigger->echo']))).id;
    // Another flow on the same bot, active: the simulated contact's messages must never start it.
    active = (await runtime.flows.create(WS, botFlow('production echo', [echo('production: {text}')], ['trigger->echo']))).id;
    await runtime.flows.activate(WS, active);
  });

  it('a message runs the edited flow once — also when sent twice — and the reply is recorded, not sent', async () => {
    const before = sends();
    const input = { sessionId: 'session-one', text: 'Hi! (1.5 * 2 = 3?)', messageId: 'first' };
    const [first, again] = await Promise.all([runtime.inbound.simulate(WS, edited, input), runtime.inbound.simulate(WS, edited, input)]);
    expect(first).toMatchObject({ sessionId: 'session-one', messageId: 'first', nodeId: 'trigger', credentialId, channel: 'telegram-bot', acknowledged: 200 });
    expect(again.contact).toEqual(first.contact);
    // Telegram's ids have at most 52 bits: the simulated chat has none of a real one.
    expect(Number(first.contact.id)).toBeGreaterThanOrEqual(2 ** 52);

    const thread = await until(async () => {
      const t = await runtime.inbound.simulatorThread(WS, edited, 'session-one');
      return t.messages.some((m) => m.direction === 'out') && t;
    }, 20_000, 'the reply');
    await until(async () => (await executions(edited)).every((e) => e.status === 'succeeded'), 20_000, 'the run to finish');
    await dispatched(runtime, credentialId);
    expect(await executions(edited)).toEqual([expect.objectContaining({ mode: 'manual', status: 'succeeded' })]);
    expect(await executions(active)).toEqual([]);
    expect(thread.messages.map((m) => [m.direction, m.text])).toEqual([['in', 'Hi! (1.5 * 2 = 3?)'], ['out', 'Echo: Hi! (1.5 * 2 = 3?)']]);
    const [execution] = await executions(edited);
    expect(thread.messages[1]).toMatchObject({ executionId: execution!.id, stepKey: 'echo', status: 'sent' });
    expect(thread).toMatchObject({ channel: 'telegram-bot', credentialId, nodeId: 'trigger', contact: { id: first.contact.id, name: 'Simulator' } });
    expect(sends()).toBe(before);
    expect(fake.sentTo(first.contact.id)).toEqual([]);
  });

  it('runs the latest saved draft, and the inbox lists the thread as simulated', async () => {
    await runtime.flows.update(WS, edited, botFlow('simulated echo', [echo('_Changed:_ {text}')], ['trigger->echo']), { draft: true });
    await runtime.inbound.simulate(WS, edited, { sessionId: 'session-one', text: 'again' });
    const thread = await until(async () => {
      const t = await runtime.inbound.simulatorThread(WS, edited, 'session-one');
      return t.messages.length === 4 && t;
    }, 20_000, 'the second reply');
    expect(thread.messages.at(-1)?.text).toBe('Changed: again');
    const listed = (await runtime.conversations.list(WS, { channel: 'telegram-bot', limit: 200 })).find((c) => c.id === thread.conversationId);
    expect(listed).toMatchObject({ simulated: true, contact: { name: 'Simulator' } });
    // A person answering the simulated contact from the inbox: recorded, shown in the simulator, not sent.
    const before = sends();
    await runtime.conversations.reply(WS, thread.conversationId!, 'A person here.');
    expect((await runtime.inbound.simulatorThread(WS, edited, 'session-one')).messages.at(-1)).toMatchObject({ direction: 'out', text: 'A person here.', executionId: null });
    expect(sends()).toBe(before);
    expect(await executions(active)).toEqual([]);
  });

  it('a real contact of the same bot still reaches the active flow, whose reply is sent', async () => {
    await fake.deliver(fake.userMessage(5551001, 'real'));
    await until(async () => fake.sentTo(5551001).length === 1, 20_000, 'the real reply');
    expect(fake.sentTo(5551001).map((m) => m.text)).toEqual(['production: real']);
    expect(await executions(edited)).toHaveLength(2);
  });

  it('refuses what cannot be simulated, naming why', async () => {
    await expect(runtime.inbound.simulate(WS, edited, { sessionId: 'session-one', choiceId: 'nope' })).rejects.toMatchObject({ status: 400, code: 'unknown_choice' });
    await expect(runtime.inbound.simulate(WS, edited, { sessionId: 'session-one', nodeId: 'echo', text: 'x' })).rejects.toMatchObject({ status: 400, code: 'not_a_channel_trigger' });
    const manual = (await runtime.flows.create(WS, flow('no channel', [{ id: 'start', type: 'core.manual-trigger' }], []))).id;
    await expect(runtime.inbound.simulate(WS, manual, { sessionId: 's', text: 'x' })).rejects.toMatchObject({ status: 400, code: 'not_a_channel_trigger' });
    await expect(runtime.inbound.simulate(WS, 'missing-flow', { sessionId: 's', text: 'x' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('a button in the simulator continues a send-and-wait', () => {
  it('the press resumes the waiting execution on that button\'s output, with nothing sent to Telegram', async () => {
    const flowId = (await runtime.flows.create(WS, botFlow('simulated question', [
      { id: 'ask', type: 'telegram.send-and-wait-choice', props: { text: 'Ship it?', choices: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }], pressedText: 'Noted: {choice}' } },
      { id: 'shipped', type: 'telegram.send-message', props: { text: 'Shipping now.' } },
      { id: 'held', type: 'telegram.send-message', props: { text: 'Holding it.' } },
    ], ['trigger->ask', 'ask:yes->shipped', 'ask:no->held']))).id;
    const before = sends();
    await runtime.inbound.simulate(WS, flowId, { sessionId: 'session-two', text: 'hello' });
    const question = await until(async () => (await runtime.inbound.simulatorThread(WS, flowId, 'session-two')).messages.find((m) => m.direction === 'out'), 20_000, 'the question');
    expect(question).toMatchObject({ text: 'Ship it?', choices: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }], stepKey: 'ask' });
    await until(async () => (await executions(flowId)).some((e) => e.status === 'waiting'), 20_000, 'the execution to park');

    await runtime.inbound.simulate(WS, flowId, { sessionId: 'session-two', choiceId: 'yes', messageId: 'press' });
    await runtime.inbound.simulate(WS, flowId, { sessionId: 'session-two', choiceId: 'yes', messageId: 'press' });
    await until(async () => (await executions(flowId)).every((e) => e.status === 'succeeded'), 20_000, 'the execution to finish');
    const thread = await runtime.inbound.simulatorThread(WS, flowId, 'session-two');
    expect(thread.messages.map((m) => [m.direction, m.text])).toEqual([['in', 'hello'], ['out', 'Ship it?'], ['in', 'Yes'], ['out', 'Shipping now.']]);
    expect(thread.messages[3]).toMatchObject({ executionId: question.executionId, stepKey: 'shipped' });
    expect(await executions(flowId)).toHaveLength(1);
    expect(sends()).toBe(before);
  });
});
