import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import net, { type AddressInfo } from 'node:net';
import { NodeError, NonRetryableError, type HttpClient } from '@switchyard/sdk';
import { runNode } from '../../../testing.js';
import { startTelegramFake, type TelegramFake } from '../fake.js';
import { botContext, botCredential, localHttp, type BotTestContext } from '../testing.js';
import sendMessage from './index.js';

let fake: TelegramFake;
const http = localHttp();
beforeAll(async () => { fake = await startTelegramFake(); });
afterAll(async () => { http.close(); await fake.close(); });
beforeEach(() => { fake.sent.length = 0; fake.calls.length = 0; });

type Props = Parameters<typeof runNode<typeof sendMessage.props, NonNullable<typeof sendMessage.credentials>>>[2];
async function send(props: Props, ctx: BotTestContext = botContext(http, botCredential(fake))) {
  return { result: await runNode(sendMessage, {}, props, ctx), ctx };
}
async function failure(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

const TRICKY = 'O\'Neil_[vip] paid 1.5*2 = 3! (ok) <b>&amp; "x"</b> ~`#+-=|{}.\\ 😀';

describe('telegram.send-message', () => {
  it('sends plain text to the chat, within the bot and chat limits, and records it in the conversation', async () => {
    const { result, ctx } = await send({ chatId: '111222333', text: 'Hello 👋' });
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ chatId: '111222333', text: 'Hello 👋', messageId: 1 });
    expect(fake.calls[0]?.params).toEqual({ chat_id: '111222333', text: 'Hello 👋' });
    expect(result).toEqual({ main: { chatId: '111222333', messageId: 1, providerMessageId: '111222333:1', date: expect.any(Number), text: 'Hello 👋', messageIds: [1] } });
    expect(ctx.channels.recorded.acquired).toEqual([{ key: 'telegram:cred-tg', perSecond: 30 }, { key: 'telegram:cred-tg:111222333', perSecond: 1 }]);
    expect(ctx.channels.recorded.outbound).toEqual([{ credentialId: 'cred-tg', contactId: '111222333', providerMessageId: '111222333:1', messageType: 'text', text: 'Hello 👋' }]);
  });

  it('MarkdownV2 and HTML: the author\'s formatting stays, user values arrive exactly as typed', async () => {
    const values = [{ name: 'who', value: TRICKY }];
    await send({ chatId: '5', text: '*Order* for {who} \\(paid\\)', parseMode: 'MarkdownV2', values });
    await send({ chatId: '5', text: '<b>Order</b> for {who} (paid)', parseMode: 'HTML', values });
    for (const message of fake.sent) {
      expect(message.text).toBe(`Order for ${TRICKY} (paid)`);
      expect(message.entities).toEqual([{ type: 'bold', offset: 0, length: 5 }]);
    }
    // The same value put straight into MarkdownV2 is what Telegram refuses.
    const error = await failure(send({ chatId: '5', text: `*Order* for ${TRICKY}`, parseMode: 'MarkdownV2' }));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toMatch(/^Telegram error 400 \(HTTP 400\): Bad Request: can't parse entities/);
  });

  it('sends an inline keyboard of callback and link buttons, a reply-to and no link preview', async () => {
    const { ctx } = await send({
      chatId: '7', text: 'Pick one https://example.com', disableLinkPreview: true, replyTo: '3', buttonsPerRow: 2,
      buttons: [{ title: 'Yes', value: 'answer:yes' }, { title: 'No', value: 'answer:no' }, { title: 'Docs', action: 'url', value: 'https://example.com/docs' }],
    });
    expect(fake.calls[0]?.params).toMatchObject({
      chat_id: '7', link_preview_options: { is_disabled: true }, reply_parameters: { message_id: 3, allow_sending_without_reply: true },
      reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'answer:yes' }, { text: 'No', callback_data: 'answer:no' }], [{ text: 'Docs', url: 'https://example.com/docs' }]] },
    });
    expect(fake.sent[0]?.linkPreviewDisabled).toBe(true);
    expect(ctx.channels.recorded.outbound[0]?.choices).toEqual([{ id: 'answer:yes', title: 'Yes' }, { id: 'answer:no', title: 'No' }]);
  });

  it('refuses callback data over 64 bytes and link buttons without an http(s) address, naming the field', () => {
    const issues = sendMessage.props.safeParse({ text: 'x', buttons: [{ title: 'A', value: 'é'.repeat(33) }, { title: 'B', action: 'url', value: 'javascript:alert(1)' }] }).error?.issues;
    expect(issues?.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['buttons.0.value', 'callback data is 66 bytes; Telegram allows at most 64'],
      ['buttons.1.value', 'a link button needs an http(s):// or tg:// address'],
    ]);
    expect(sendMessage.props.safeParse({ text: 'x', buttons: [{ title: 'A', value: 'x'.repeat(64) }] }).success).toBe(true);
  });

  it('splits a text over 4,096 characters (keyboard under the last part) or refuses it, by the setting', async () => {
    const long = `${'word '.repeat(1000)}\n\n${'more '.repeat(200)}`.trim();
    const { result } = await send({ chatId: '9', text: long, buttons: [{ title: 'OK', value: 'ok' }] });
    expect(fake.sent.map((m) => m.text!.length <= 4096)).toEqual([true, true]);
    expect(fake.sent.map((m) => m.text).join(' ').replace(/\s+/g, ' ')).toBe(long.replace(/\s+/g, ' '));
    expect(fake.sent.map((m) => m.replyMarkup === undefined)).toEqual([true, false]);
    expect(result).toMatchObject({ main: { messageIds: [1, 2], messageId: 2 } });
    const error = await failure(send({ chatId: '9', text: long, overLongText: 'refuse' }));
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error.message).toMatch(/^text: the text is 6\d{3} characters; this channel allows 4096/);
  });

  it('waits out a 429 with retry_after and sends once', async () => {
    fake.rateLimit({ retryAfter: 1, times: 1 });
    await send({ chatId: '10', text: 'after the limit' });
    expect(fake.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendMessage']);
    expect(fake.sent.map((m) => m.text)).toEqual(['after the limit']);
  });

  it('gives a long 429 back to the runtime as a retryable error carrying retry_after', async () => {
    fake.rateLimit({ retryAfter: 120, times: 1 });
    const error = await failure(send({ chatId: '10', text: 'x' }));
    expect(error).not.toBeInstanceOf(NonRetryableError);
    expect(error.details).toMatchObject({ provider: 'Telegram', status: 429, providerCode: 429, retryAfterSeconds: 120 });
  });

  it('marks a contact who blocked the bot and fails without a retry', async () => {
    fake.block(666);
    const ctx = botContext(http, botCredential(fake));
    const error = await failure(send({ chatId: '666', text: 'hello?' }, ctx));
    fake.unblock(666);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect(error).toMatchObject({ code: 'contact_blocked', message: 'Telegram error 403 (HTTP 403): Forbidden: bot was blocked by the user' });
    expect(ctx.channels.recorded.blocked).toEqual(['cred-tg/666']);
    expect(ctx.channels.recorded.outbound).toEqual([]);
  });

  it('refuses a chat id that is not one, naming the field, before calling Telegram', async () => {
    const error = await failure(send({ chatId: '+91 98765', text: 'x' }));
    expect(error.message).toMatch(/^chatId: "\+91 98765" is not a Telegram chat id/);
    expect(fake.calls).toEqual([]);
  });

  it('never puts the token in an error: a wrong token, an unreachable API, a timeout', async () => {
    const wrong = botCredential(fake, { token: '123456789:AAH-not-the-token-of-this-bot-000' });
    const refused = await failure(send({ chatId: '1', text: 'x' }, botContext(http, wrong)));
    expect(refused.message).toBe('Telegram error 401 (HTTP 401): Unauthorized');
    const down = await failure(send({ chatId: '1', text: 'x' }, botContext(http, botCredential(fake, { baseUrl: 'http://127.0.0.1:9' }))));
    expect(down.message).not.toContain(fake.token);
    // A Bot API that accepts the connection and never answers; the client's own timeout error names the URL.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const hung = botCredential(fake, { baseUrl: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
    const impatient: HttpClient = { request: (r) => http.request({ ...r, timeoutMs: 100 }) };
    const timedOut = await failure(send({ chatId: '1', text: 'x' }, botContext(impatient, hung)));
    silent.close();
    expect(timedOut.message).toMatch(/timed out/);
    expect(timedOut.message).toContain('bot<token>/sendMessage');
    expect(timedOut.message).not.toContain(fake.token);
  });
});
