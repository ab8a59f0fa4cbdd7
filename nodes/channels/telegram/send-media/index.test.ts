import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NodeError, NonRetryableError } from '@switchyard/sdk';
import { runNode } from '../../../testing.js';
import { startTelegramFake, type TelegramFake } from '../fake.js';
import { botContext, botCredential, localHttp } from '../testing.js';
import sendMedia from './index.js';

let fake: TelegramFake;
const http = localHttp();
beforeAll(async () => { fake = await startTelegramFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => { fake.sent.length = 0; fake.calls.length = 0; });

type Props = Parameters<typeof runNode<typeof sendMedia.props, NonNullable<typeof sendMedia.credentials>>>[2];
const ctx = () => botContext(http, botCredential(fake));
async function failure(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NonRetryableError);
  return error as NodeError;
}

describe('telegram.send-media', () => {
  it('sends a photo by URL with a formatted caption and records it with its media', async () => {
    const context = ctx();
    const result = await runNode(sendMedia, {}, { chatId: '42', file: 'https://cdn.example.com/cat.JPG', caption: '<b>{name}</b>', parseMode: 'HTML', values: [{ name: 'name', value: 'Tom & Jerry' }] } satisfies Props, context);
    expect(fake.calls[0]).toEqual({ method: 'sendPhoto', params: { chat_id: '42', photo: 'https://cdn.example.com/cat.JPG', caption: '<b>Tom &amp; Jerry</b>', parse_mode: 'HTML' } });
    expect(fake.sent[0]).toMatchObject({ method: 'sendPhoto', text: 'Tom & Jerry', entities: [{ type: 'bold', offset: 0, length: 11 }] });
    expect(result).toEqual({ main: { chatId: '42', messageId: 1, providerMessageId: '42:1', date: expect.any(Number), kind: 'photo', fileId: 'photo-42-1' } });
    expect(context.channels.recorded.outbound).toEqual([{
      credentialId: 'cred-tg', contactId: '42', providerMessageId: '42:1', messageType: 'photo', text: 'Tom & Jerry',
      media: [{ kind: 'image', url: 'https://cdn.example.com/cat.JPG', caption: 'Tom & Jerry' }], choices: [],
    }]);
  });

  it('sends a document by URL or by a file id Telegram already has', async () => {
    await runNode(sendMedia, {}, { chatId: '42', kind: 'document', file: 'https://example.com/invoice.pdf' }, ctx());
    await runNode(sendMedia, {}, { chatId: '42', kind: 'document', file: 'BQACAgIAAxkBAAIBY2abc_def-123' }, ctx());
    expect(fake.sent.map((m) => [m.method, m.file])).toEqual([['sendDocument', 'https://example.com/invoice.pdf'], ['sendDocument', 'BQACAgIAAxkBAAIBY2abc_def-123']]);
  });

  it('refuses what Telegram cannot fetch, naming the field, before calling it', async () => {
    expect((await failure(runNode(sendMedia, {}, { chatId: '42', kind: 'document', file: 'https://example.com/report.docx' }, ctx()))).message)
      .toBe('file: Telegram sends a document by URL only as gif, pdf, zip, not .docx');
    expect((await failure(runNode(sendMedia, {}, { chatId: '42', file: 'https://example.com/clip.mp4' }, ctx()))).code).toBe('unsupported_media');
    expect((await failure(runNode(sendMedia, {}, { chatId: '42', file: 'ftp://example.com/a.png' }, ctx()))).message).toMatch(/^file: Telegram fetches only http\(s\) URLs/);
    expect((await failure(runNode(sendMedia, {}, { chatId: '42', file: 'not a file' }, ctx()))).message).toMatch(/^file: "not a file" is neither/);
    expect((await failure(runNode(sendMedia, {}, { chatId: '42', file: 'https://example.com/a.png', caption: 'x'.repeat(1025) }, ctx()))).message).toMatch(/^caption: the text is 1025 characters; this channel allows 1024/);
    expect(fake.calls).toEqual([]);
  });
});
