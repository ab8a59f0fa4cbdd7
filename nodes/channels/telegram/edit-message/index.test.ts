import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { runNode } from '../../../testing.js';
import { startTelegramFake, type TelegramFake } from '../fake.js';
import sendMessage from '../send-message/index.js';
import { botContext, botCredential, localHttp } from '../testing.js';
import editMessage from './index.js';

let fake: TelegramFake;
const http = localHttp();
beforeAll(async () => { fake = await startTelegramFake(); });
afterAll(async () => { http.close(); await fake.close(); });
const ctx = () => botContext(http, botCredential(fake));

describe('telegram.edit-message', () => {
  it('replaces the text and removes the keyboard; the same edit again counts as done', async () => {
    await runNode(sendMessage, {}, { chatId: '42', text: 'Continue?', buttons: [{ title: 'Yes', value: 'yes' }] }, ctx());
    const edited = await runNode(editMessage, {}, { chatId: '42', messageId: '1', text: 'You chose *{choice}*', parseMode: 'MarkdownV2', values: [{ name: 'choice', value: 'Yes!' }] }, ctx());
    expect(edited).toEqual({ main: { chatId: '42', messageId: 1, text: 'You chose Yes!', modified: true } });
    expect(fake.sentTo(42)[0]).toMatchObject({ text: 'You chose Yes!', entities: [{ type: 'bold', offset: 10, length: 4 }] });
    expect(fake.sentTo(42)[0]?.replyMarkup).toBeUndefined();
    const again = await runNode(editMessage, {}, { chatId: '42', messageId: '1', text: 'You chose *{choice}*', parseMode: 'MarkdownV2', values: [{ name: 'choice', value: 'Yes!' }] }, ctx());
    expect(again).toEqual({ main: { chatId: '42', messageId: 1, text: null, modified: false } });
    expect(fake.edits).toHaveLength(1);
  });

  it('fails without a retry when the message does not exist', async () => {
    const error = await runNode(editMessage, {}, { chatId: '42', messageId: '999', text: 'x' }, ctx()).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toBe('Telegram error 400 (HTTP 400): Bad Request: message to edit not found');
  });
});
