import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonRetryableError, WaitRequest, type ResumeEvent } from '@switchyard/sdk';
import { runNode } from '../../../testing.js';
import { startTelegramFake, type TelegramFake } from '../fake.js';
import { botContext, botCredential, localHttp } from '../testing.js';
import sendAndWaitReply from './index.js';

let fake: TelegramFake;
const http = localHttp();
beforeAll(async () => { fake = await startTelegramFake(); });
afterAll(async () => { http.close(); await fake.close(); });

const reply: ResumeEvent = { kind: 'event', name: 'channel-reply', payload: { eventType: 'message', contact: { id: '42' }, message: { text: 'Ada' }, text: 'Ada' } };

describe('telegram.send-and-wait-reply', () => {
  it('asks, then parks until the chat writes again (correlated by account and chat)', async () => {
    const ctx = botContext(http, botCredential(fake));
    const result = await runNode(sendAndWaitReply, { order: 7 }, { chatId: '42', text: 'Your name?', timeoutMinutes: 30 }, ctx);
    expect(result).toBeInstanceOf(WaitRequest);
    expect(fake.sentTo(42).map((m) => m.text)).toEqual(['Your name?']);
    expect(ctx.channels.recorded.waits).toEqual([{ credentialId: 'cred-tg', contactId: '42', timeoutMs: 1_800_000 }]);
  });

  it('resumed, it sends nothing again: the reply goes out on reply, a timer on timeout with the input', async () => {
    const before = fake.sent.length;
    const answered = await runNode(sendAndWaitReply, { order: 7 }, { chatId: '42', text: 'Your name?' }, botContext(http, botCredential(fake), { resumed: reply }));
    expect(answered).toEqual({ reply: { eventType: 'message', contact: { id: '42' }, message: { text: 'Ada' }, text: 'Ada' } });
    const late = await runNode(sendAndWaitReply, { order: 7 }, { chatId: '42', text: 'Your name?' }, botContext(http, botCredential(fake), { resumed: { kind: 'timer' } }));
    expect(late).toEqual({ timeout: { order: 7 } });
    expect(fake.sent.length).toBe(before);
  });

  it('fails when what it waited for failed, and without the conversation store', async () => {
    const failed: ResumeEvent = { kind: 'event', name: 'channel-reply', payload: null, error: { message: 'the conversation was deleted' } };
    await expect(runNode(sendAndWaitReply, {}, { chatId: '42', text: 'x' }, botContext(http, botCredential(fake), { resumed: failed }))).rejects.toThrow('the conversation was deleted');
    const bare = { ...botContext(http, botCredential(fake)), channels: undefined };
    await expect(runNode(sendAndWaitReply, {}, { chatId: '42', text: 'x' }, bare)).rejects.toBeInstanceOf(NonRetryableError);
  });
});
