import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiFake, type AiFake } from '../../nodes/ai/fake.js';
import { startTelegramFake, type TelegramFake } from '../../nodes/channels/telegram/fake.js';
import type { Update } from '../../nodes/channels/telegram/fake-updates.js';
import { templateBed } from '../_testing/harness.js';
import { aiCredential, callbackUrl, execution, executionsOf, faqKnowledgeBase, settled, until } from '../_testing/providers.js';

/**
 * The coaching bot, imported from the gallery and run against the Telegram Bot API fake and the
 * OpenAI-compatible fake: /start, the welcome buttons, two daily check-ins (the workspace variables
 * make a "day" 7.2 seconds and the program two days long), and questions answered from the knowledge
 * base, typed freely or in answer to a check-in.
 */
const bed = templateBed();
let telegram: TelegramFake;
let ai: AiFake;
let flowId: string;
let callback: string;

beforeAll(async () => {
  [telegram, ai] = await Promise.all([startTelegramFake(), startAiFake()]);
  const bot = await bed.credential('telegram-bot', 'Coaching bot', { token: telegram.token, baseUrl: telegram.url });
  const provider = await aiCredential(bed, ai);
  await faqKnowledgeBase(bed, 'Coaching FAQ', [
    { question: 'How many hours of sleep do I need?', answer: 'Most adults need 7 to 9 hours of sleep a night.' },
    { question: 'What if I miss a day?', answer: 'Missing a day is fine: pick up again the next day, consistency over weeks is what counts.' },
  ]);
  for (const [key, value] of [['coaching_program_days', '2'], ['coaching_checkin_hours', '0.002']]) {
    const set = await bed.api('PUT', `/api/variables/${key}`, { value });
    expect(set.status, set.text).toBeLessThan(300);
  }
  const imported = await bed.importTemplate('telegram-coaching-onboarding', { telegram: bot, ai: provider });
  expect(imported.unmapped).toEqual([]);
  flowId = imported.flowId;
  await bed.activate(flowId);
  callback = callbackUrl(bed, bot);
}, 240_000);
afterAll(async () => {
  await Promise.all([telegram?.close(), ai?.close()]);
});

/** Delivers an update as Telegram does, with the secret token activation registered, to the bot's callback URL. */
async function deliver(update: Update): Promise<void> {
  expect(telegram.webhook?.secretToken).toBeTruthy();
  const answer = await fetch(callback, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': telegram.webhook!.secretToken! }, body: JSON.stringify(update),
  });
  expect(answer.status).toBe(200);
}
const texts = (chat: number) => telegram.sentTo(chat).map((m) => m.text);
const buttonsOf = (chat: number, index: number) => ((telegram.sentTo(chat)[index]?.replyMarkup as { inline_keyboard?: { text: string }[][] } | undefined)?.inline_keyboard ?? []).flat().map((b) => b.text);
const sentCount = (chat: number, count: number, what: string) => until(() => telegram.sentTo(chat).length >= count, what, 90_000);
/**
 * Waits until the execution has parked on `stepKey` (its run ended waiting there). A press or reply
 * sent before that finds nothing waiting for it and starts the flows that listen instead; a person
 * never answers within those milliseconds, a test does.
 */
const parkedAt = (executionId: string, stepKey: string) => until(async () => {
  const e = await execution(bed, executionId);
  const steps = e.steps.filter((s: { stepKey: string }) => s.stepKey === stepKey);
  return e.status === 'waiting' && steps.length > 0 && steps.every((s: { status: string }) => s.status === 'waiting');
}, `the execution to wait at ${stepKey}`, 90_000);

describe('template: Telegram coaching onboarding', { timeout: 180_000 }, () => {
  it('welcomes with buttons, checks in every "day" of the program and answers a question typed in reply to a check-in', async () => {
    const chat = 700_001;
    await deliver(telegram.userMessage(chat, '/start'));
    await sentCount(chat, 1, 'the welcome');
    expect(texts(chat)[0]).toBe('Hi Ada! 👋 I\'m your coaching assistant. What would you like to work on first?');
    expect(buttonsOf(chat, 0)).toEqual(['Move more 🏃', 'Sleep better 😴', 'Stress less 🧘']);
    const [onboarding] = await executionsOf(bed, flowId);
    await parkedAt(onboarding!.id, 'welcome');

    await deliver(telegram.buttonPress(chat, telegram.sentTo(chat)[0]!.messageId, 'sleep'));
    await sentCount(chat, 2, 'the program introduction');
    expect(texts(chat)[1]).toBe('Great, we\'ll work on: sleeping better. I\'ll check in with you here every day. Ask me anything about the program at any time, just type your question.');
    expect(telegram.callbackAnswers.at(-1)).toMatchObject({ text: 'Great choice: Sleep better 😴' });

    await sentCount(chat, 3, 'the day 1 check-in');
    expect(texts(chat)[2]).toBe('Day 1 check-in: did you get to your practice for sleeping better today?');
    expect(buttonsOf(chat, 2)).toEqual(['Yes, done ✅', 'Partly', 'Not today']);
    await parkedAt(onboarding!.id, 'checkin#0');
    await deliver(telegram.buttonPress(chat, telegram.sentTo(chat)[2]!.messageId, 'done'));
    await sentCount(chat, 4, 'the answer to "done"');
    expect(texts(chat)[3]).toBe('Brilliant! 🎉 That\'s how habits are made. See you tomorrow.');

    await sentCount(chat, 5, 'the day 2 check-in');
    expect(texts(chat)[4]).toBe('Day 2 check-in: did you get to your practice for sleeping better today?');
    await parkedAt(onboarding!.id, 'checkin#1');
    ai.script({ kind: 'answer', content: 'Most adults need 7 to 9 hours a night [1].' });
    await deliver(telegram.userMessage(chat, 'how many hours of sleep do I actually need?'));
    await sentCount(chat, 6, 'the answer to the question');
    expect(texts(chat)[5]).toBe('Most adults need 7 to 9 hours a night [1].');
    expect(String(ai.chatRequests().at(-1)!.messages!.at(-1)!.content)).toContain('Most adults need 7 to 9 hours of sleep a night.');

    // Two days: the program is over, with no third check-in. The typed question was the check-in's
    // answer (its "other" output), so it started no second execution.
    const ended = await until(async () => (await executionsOf(bed, flowId)).find((e) => e.id === onboarding!.id && e.status === 'succeeded'), 'the program to end', 90_000);
    expect(ended).toBeDefined();
    expect(texts(chat).filter((t) => t?.startsWith('Day '))).toHaveLength(2);
    expect((await execution(bed, onboarding!.id)).steps.map((s: { stepKey: string }) => s.stepKey)).toContain('checkin-reply#1');
    expect(await executionsOf(bed, flowId)).toHaveLength(1);
  });

  it('answers a question from the knowledge base whenever a client writes one', async () => {
    const chat = 700_002;
    const before = (await executionsOf(bed, flowId)).length;
    ai.script({ kind: 'answer', content: 'No problem: just pick up again tomorrow [1].' });
    await deliver(telegram.userMessage(chat, 'what happens if I miss a day?'));
    await sentCount(chat, 1, 'the answer');
    expect(telegram.sentTo(chat)[0]).toMatchObject({ text: 'No problem: just pick up again tomorrow [1].' });
    expect(telegram.sentTo(chat)[0]!.replyToMessageId).toBeDefined();
    const all = await settled(bed, flowId, before + 1);
    expect(all.at(-1)!.status).toBe('succeeded');
  });
});
