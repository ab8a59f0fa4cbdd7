import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { InboundEvent, TriggerLifecycleContext } from '@switchyard/sdk';
import { createTestContext } from '../../../testing.js';
import { startTelegramFake, type TelegramFake } from '../fake.js';
import { localHttp } from '../testing.js';
import { updateToEvent } from '../updates.js';
import trigger from './index.js';

const channel = trigger.trigger!.channel!;
const props = (p: Record<string, unknown> = {}) => trigger.props.parse(p);
const matches = (event: InboundEvent, p: Record<string, unknown> = {}) => channel.matches(event, props(p));

let fake: TelegramFake;
const http = localHttp();
beforeAll(async () => { fake = await startTelegramFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => { fake.webhookChanges.length = 0; });

function lifecycle(callbackUrl = 'https://switchyard.example/inbound/cred-tg'): TriggerLifecycleContext & { lines: string[] } {
  const lines: string[] = [];
  const log = { debug: (m: string) => lines.push(m), info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
  return {
    account: { credentialId: 'cred-tg', fields: { token: fake.token, baseUrl: fake.url }, secret: 'c2VjcmV0LXRva2VuLWZvci10ZWxlZ3Jh', callbackUrl },
    http, log, signal: new AbortController().signal, lines,
  };
}

describe('telegram.trigger filters', () => {
  const text = (t: string) => updateToEvent(fake.userMessage(42, t));
  let photo: InboundEvent;
  let press: InboundEvent;
  let edit: InboundEvent;
  beforeAll(() => {
    photo = updateToEvent(fake.userPhoto(42, 'look'));
    press = updateToEvent(fake.buttonPress(42, 1, 'order:42'));
    edit = updateToEvent(fake.editedMessage(42, 1, 'fixed'));
  });

  it('by default starts on messages and button presses, not on edits or other kinds', () => {
    expect([text('hi'), photo, press, edit].map((e) => matches(e))).toEqual([true, true, true, false]);
    expect(matches(edit, { updates: ['edited_message'] })).toBe(true);
    expect(matches(updateToEvent({ update_id: 1, inline_query: { id: 'q', from: { id: 1, first_name: 'A' }, query: '' } }))).toBe(false);
  });

  it('by message type (button presses are not messages and pass)', () => {
    expect([text('hi'), photo, press].map((e) => matches(e, { messageTypes: ['photo'] }))).toEqual([false, true, true]);
  });

  it('by command, with or without the slash and the bot\'s name', () => {
    const p = { commands: '/start, help' };
    expect([text('/start'), text('/START@switchyard_test_bot ref'), text('/help'), text('/stop'), text('start'), press].map((e) => matches(e, p)))
      .toEqual([true, true, true, false, false, true]);
  });

  it('by keyword or pattern on the text (a press: its callback data), case-insensitive unless asked', () => {
    expect([text('Where is my ORDER?'), text('hello'), press].map((e) => matches(e, { textMatch: 'contains', textValue: 'order' }))).toEqual([true, false, true]);
    expect(matches(text('Where is my ORDER?'), { textMatch: 'contains', textValue: 'order', caseSensitive: true })).toBe(false);
    expect([text('order 123'), text('order abc')].map((e) => matches(e, { textMatch: 'regex', textValue: '^order \\d+$' }))).toEqual([true, false]);
    expect(matches(text('  Yes '), { textMatch: 'equals', textValue: 'yes' })).toBe(true);
  });

  it('a bad or catastrophic pattern is a props error, not a crash', () => {
    expect(trigger.props.safeParse({ textMatch: 'regex', textValue: '(unclosed' }).error?.issues[0]).toMatchObject({ path: ['textValue'], message: expect.stringMatching(/invalid pattern/) });
    expect(trigger.props.safeParse({ textMatch: 'regex', textValue: '(a+)+$' }).error?.issues[0]?.message).toMatch(/a repeated group/);
    expect(trigger.props.safeParse({ textMatch: 'contains' }).error?.issues[0]).toMatchObject({ path: ['textValue'], message: 'enter the text to match' });
    expect(trigger.props.safeParse({ updates: [] }).success).toBe(false);
    expect(trigger.props.safeParse({ commands: 'start; drop' }).success).toBe(false);
  });

  it('pauses for chats a person took over unless told not to', () => {
    expect(channel.honoursHandoff!(props())).toBe(true);
    expect(channel.honoursHandoff!(props({ pauseOnHandoff: false }))).toBe(false);
  });
});

describe('telegram.trigger lifecycle', () => {
  it('activation sets the webhook to the account\'s callback URL with its secret and the chosen update kinds', async () => {
    await channel.register!(lifecycle(), props({ updates: ['message', 'callback_query'] }));
    expect(fake.webhook).toEqual({ url: 'https://switchyard.example/inbound/cred-tg', secretToken: 'c2VjcmV0LXRva2VuLWZvci10ZWxlZ3Jh', allowedUpdates: ['message', 'callback_query'], dropPendingUpdates: false });
  });

  it('a second flow on the same bot adds its kinds instead of replacing the first flow\'s', async () => {
    await channel.register!(lifecycle(), props({ updates: ['edited_message', 'message'] }));
    expect(fake.webhook?.allowedUpdates).toEqual(['message', 'callback_query', 'edited_message']);
  });

  it('a webhook of another URL is replaced by the chosen kinds only', async () => {
    await channel.register!(lifecycle('https://other.example/hook'), props({ updates: ['channel_post'] }));
    expect(fake.webhook).toMatchObject({ url: 'https://other.example/hook', allowedUpdates: ['channel_post'] });
  });

  it('deactivation leaves a webhook that points elsewhere, and deletes its own', async () => {
    const ctx = lifecycle();
    await channel.unregister!(ctx, props());
    expect(fake.webhook?.url).toBe('https://other.example/hook');
    expect(ctx.lines).toContain('telegram webhook left alone: it points elsewhere now');
    await channel.register!(ctx, props());
    await channel.unregister!(ctx, props());
    expect(fake.webhook).toBeNull();
    expect(fake.webhookChanges.map((c) => c.action)).toEqual(['set', 'delete']);
  });

  it('a refusal refuses the activation with Telegram\'s description', async () => {
    fake.failNext('setWebhook', { status: 400, description: 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook' });
    await expect(channel.register!(lifecycle('http://localhost:3000/inbound/cred-tg'), props()))
      .rejects.toThrow('Telegram error 400 (HTTP 400): Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    const wrongToken = { ...lifecycle(), account: { ...lifecycle().account, fields: { token: '1:AAH-wrong-token-for-this-fake-000', baseUrl: fake.url } } };
    await expect(channel.register!(wrongToken, props())).rejects.toThrow('Telegram error 401 (HTTP 401): Unauthorized');
  });

  it('emits the event as the gateway built it', async () => {
    expect(await trigger.run(createTestContext(), { eventId: '1' }, props())).toEqual({ main: { eventId: '1' } });
  });
});
