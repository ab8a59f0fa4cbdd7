import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InboundPayloadError, type InboundAccount, type InboundDelivery } from '@switchyard/sdk';
import { createHttpClient } from '../../../runtime/net/client.js';
import telegramBot, { telegramInbound } from './credential.js';
import { startTelegramFake, type TelegramFake } from './fake.js';

const account: InboundAccount = {
  credentialId: 'cred-tg', fields: { token: '1:x' }, secret: 'Q2hhbm5lbHMtc2VjcmV0LXRva2VuLTAx', callbackUrl: 'https://switchyard.example/inbound/cred-tg',
};

function delivery(body: string | Uint8Array, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': account.secret }): InboundDelivery {
  return { method: 'POST', url: account.callbackUrl, headers, query: {}, rawBody: typeof body === 'string' ? new TextEncoder().encode(body) : body };
}

const parse = (update: unknown) => telegramInbound.parse(delivery(JSON.stringify(update)), account);

const ada = { id: 111222333, is_bot: false, first_name: 'Ada', last_name: 'Lovelace', username: 'ada', language_code: 'en' };
const privateChat = { id: 111222333, first_name: 'Ada', last_name: 'Lovelace', username: 'ada', type: 'private' };

describe('verifying a webhook call (X-Telegram-Bot-Api-Secret-Token)', () => {
  it('accepts the registered secret', () => {
    expect(telegramInbound.verify(delivery('{}'), account)).toBeUndefined();
  });
  it('answers 401 when the header is missing or empty, 403 when it is wrong, whatever its length or bytes', () => {
    expect(telegramInbound.verify(delivery('{}', {}), account)).toMatchObject({ status: 401, reason: expect.stringContaining('X-Telegram-Bot-Api-Secret-Token') });
    expect(telegramInbound.verify(delivery('{}', { 'x-telegram-bot-api-secret-token': '' }), account)?.status).toBe(401);
    for (const forged of [account.secret.slice(0, -1), `${account.secret}x`, `${account.secret.slice(0, -1)}A`, 'é'.repeat(16), '\u0000'.repeat(32), 'a']) {
      const result = telegramInbound.verify(delivery('{}', { 'x-telegram-bot-api-secret-token': forged }), account);
      expect(result?.status, forged).toBe(403);
      expect(result?.reason).not.toContain(account.secret);
    }
  });
});

describe('parsing an Update into one event', () => {
  it('a text message: id = update_id, contact = chat, provider message id chat:message', () => {
    const [event] = parse({ update_id: 745001, message: { message_id: 42, from: ada, chat: privateChat, date: 1733400000, text: 'Hello 👋 "é"' } });
    expect(event).toEqual({
      id: '745001', type: 'message', contact: { id: '111222333', name: 'Ada Lovelace' }, at: 1733400000_000,
      message: { providerMessageId: '111222333:42', messageType: 'text', text: 'Hello 👋 "é"' },
      data: expect.objectContaining({
        updateId: 745001, updateKind: 'message', chatId: '111222333', chatType: 'private', messageId: 42, messageType: 'text',
        text: 'Hello 👋 "é"', media: [], channelPost: false, date: 1733400000,
        from: { id: '111222333', name: 'Ada Lovelace', username: 'ada', languageCode: 'en', isBot: false },
        raw: { update_id: 745001, message: expect.objectContaining({ message_id: 42 }) },
      }),
    });
  });

  it('a command with the bot\'s name and a payload', () => {
    const [event] = parse({ update_id: 2, message: { message_id: 3, from: ada, chat: privateChat, date: 1, text: '/Start@switchyard_bot ref-42', entities: [{ offset: 0, length: 21, type: 'bot_command' }] } });
    expect(event?.data).toMatchObject({ command: '/start', commandArgs: 'ref-42' });
  });

  it('media messages: the largest photo size with its caption, documents, stickers, voice, locations and contact cards', () => {
    const photo = parse({ update_id: 3, message: { message_id: 4, from: ada, chat: privateChat, date: 1, caption: 'my cat', photo: [
      { file_id: 'small', file_unique_id: 's', width: 90, height: 67 }, { file_id: 'large', file_unique_id: 'l', width: 1280, height: 960 },
    ] } })[0]!;
    expect(photo.message).toEqual({ providerMessageId: '111222333:4', messageType: 'photo', text: 'my cat', media: [{ kind: 'image', id: 'large', caption: 'my cat' }] });
    const doc = parse({ update_id: 4, message: { message_id: 5, from: ada, chat: privateChat, date: 1, document: { file_id: 'doc1', file_unique_id: 'd', file_name: 'invoice.pdf', mime_type: 'application/pdf' } } })[0]!;
    expect(doc.message).toMatchObject({ messageType: 'document', media: [{ kind: 'document', id: 'doc1', fileName: 'invoice.pdf', mimeType: 'application/pdf' }] });
    const gif = parse({ update_id: 5, message: { message_id: 6, from: ada, chat: privateChat, date: 1, animation: { file_id: 'anim' }, document: { file_id: 'anim' } } })[0]!;
    expect(gif.message?.messageType).toBe('animation');
    expect(parse({ update_id: 6, message: { message_id: 7, from: ada, chat: privateChat, date: 1, sticker: { file_id: 'st', emoji: '😀' } } })[0]?.message?.messageType).toBe('sticker');
    expect(parse({ update_id: 7, message: { message_id: 8, from: ada, chat: privateChat, date: 1, voice: { file_id: 'v', mime_type: 'audio/ogg', duration: 2 } } })[0]?.message).toMatchObject({ messageType: 'voice', media: [{ kind: 'voice', id: 'v' }] });
    const where = parse({ update_id: 8, message: { message_id: 9, from: ada, chat: privateChat, date: 1, location: { latitude: 12.97, longitude: 77.59 } } })[0]!;
    expect(where.data).toMatchObject({ messageType: 'location', location: { latitude: 12.97, longitude: 77.59 }, text: null });
    const card = parse({ update_id: 9, message: { message_id: 10, from: ada, chat: privateChat, date: 1, contact: { phone_number: '+919876543210', first_name: 'Grace', user_id: 77 } } })[0]!;
    expect(card.data).toMatchObject({ messageType: 'contact', contactCard: { phoneNumber: '+919876543210', firstName: 'Grace', userId: '77' } });
  });

  it('a message type Telegram added later (or a service message) is passed on as unknown with the raw payload', () => {
    const [event] = parse({ update_id: 10, message: { message_id: 11, from: ada, chat: { id: -100123, type: 'supergroup', title: 'Team' }, date: 1, new_chat_members: [ada] } });
    expect(event).toMatchObject({ type: 'message', contact: { id: '-100123', name: 'Ada Lovelace' }, message: { messageType: 'unknown' }, data: { raw: { message: { new_chat_members: [ada] } } } });
  });

  it('an edited message, a channel post and a group message', () => {
    const [edit] = parse({ update_id: 11, edited_message: { message_id: 42, from: ada, chat: privateChat, date: 100, edit_date: 160, text: 'fixed' } });
    expect(edit).toMatchObject({ id: '11', type: 'edit', at: 160_000, message: { providerMessageId: '111222333:42', text: 'fixed' }, data: { updateKind: 'edited_message' } });
    const [post] = parse({ update_id: 12, channel_post: { message_id: 5, sender_chat: { id: -100999, type: 'channel', title: 'News' }, chat: { id: -100999, type: 'channel', title: 'News' }, date: 1, text: 'Launch!' } });
    expect(post).toMatchObject({ type: 'message', contact: { id: '-100999', name: 'News' }, data: { channelPost: true, from: null, chatTitle: 'News' } });
  });

  it('a button press: the choice carries the callback data and the button\'s text from the keyboard', () => {
    const [event] = parse({
      update_id: 13,
      callback_query: {
        id: '4382bfdwdsb323b2d9', from: ada, chat_instance: '-7099', data: 'yes',
        message: { message_id: 50, from: { id: 1, is_bot: true, first_name: 'Bot', username: 'bot' }, chat: privateChat, date: 1, text: 'Continue?', reply_markup: { inline_keyboard: [[{ text: 'Yes please', callback_data: 'yes' }, { text: 'No', callback_data: 'no' }]] } },
      },
    });
    expect(event).toMatchObject({
      id: '13', type: 'callback', contact: { id: '111222333', name: 'Ada Lovelace' },
      message: { providerMessageId: 'callback:4382bfdwdsb323b2d9', messageType: 'callback', text: 'Yes please', choice: { id: 'yes', title: 'Yes please' } },
      data: { callbackQueryId: '4382bfdwdsb323b2d9', callbackData: 'yes', buttonTitle: 'Yes please', messageId: 50, chatId: '111222333' },
    });
    const [inline] = parse({ update_id: 14, callback_query: { id: 'q2', from: ada, inline_message_id: 'AAA', chat_instance: '1', data: 'x' } });
    expect(inline).toMatchObject({ contact: { id: '111222333' }, message: { choice: { id: 'x' } }, data: { inlineMessageId: 'AAA' } });
  });

  it('membership changes (a user blocking the bot) and reactions', () => {
    const [blocked] = parse({ update_id: 15, my_chat_member: { chat: privateChat, from: ada, date: 5, old_chat_member: { status: 'member', user: ada }, new_chat_member: { status: 'kicked', user: ada, until_date: 0 } } });
    expect(blocked).toMatchObject({ type: 'member', contact: { id: '111222333' }, data: { oldStatus: 'member', newStatus: 'kicked', blocked: true } });
    expect(blocked?.message).toBeUndefined();
    const [reaction] = parse({ update_id: 16, message_reaction: { chat: privateChat, message_id: 50, user: ada, date: 6, old_reaction: [], new_reaction: [{ type: 'emoji', emoji: '👍' }] } });
    expect(reaction).toMatchObject({ type: 'reaction', data: { messageId: 50, emojis: ['👍'] } });
  });

  it('an update kind it does not model is passed on as unknown, naming who it is from', () => {
    const [event] = parse({ update_id: 17, inline_query: { id: 'iq', from: ada, query: 'cats', offset: '' } });
    expect(event).toEqual({ id: '17', type: 'unknown', contact: { id: '111222333', name: 'Ada Lovelace' }, data: { updateId: 17, updateKind: 'inline_query', messageType: 'unknown', raw: { update_id: 17, inline_query: { id: 'iq', from: ada, query: 'cats', offset: '' } } } });
  });

  it('refuses malformed deliveries with a message naming what is wrong', () => {
    const refused = (body: string | Uint8Array) => {
      try {
        telegramInbound.parse(delivery(body), account);
      } catch (error) {
        expect(error).toBeInstanceOf(InboundPayloadError);
        return (error as Error).message;
      }
      throw new Error('expected a refusal');
    };
    expect(refused('{"update_id": 1, "message": {"message_id"')).toMatch(/not a JSON Telegram Update/);
    expect(refused(new Uint8Array([0x7b, 0xff, 0x7d]))).toMatch(/invalid UTF-8/);
    expect(refused('[1,2]')).toMatch(/not a Telegram Update/);
    expect(refused('{"message": {}}')).toMatch(/no valid update_id/);
    expect(refused('{"update_id": -1, "message": {}}')).toMatch(/no valid update_id/);
    expect(refused('{"update_id": 1}')).toMatch(/nothing besides its update_id/);
    expect(refused('{"update_id": 1, "message": {"message_id": 1, "date": 1, "text": "x"}}')).toMatch(/message\.chat is malformed/);
    expect(refused('{"update_id": 1, "callback_query": {"id": "q"}}')).toMatch(/callback_query\.from is malformed/);
  });
});

describe('Test connection', () => {
  let fake: TelegramFake;
  const http = createHttpClient({ allow: ['127.0.0.1'] });
  const guarded = createHttpClient();
  beforeAll(async () => { fake = await startTelegramFake(); });
  afterAll(async () => { http.close(); guarded.close(); await fake.close(); });
  const signal = new AbortController().signal;

  it('names the bot when the token is right', async () => {
    expect(await telegramBot.test!({ token: fake.token, baseUrl: fake.url }, { http, signal })).toEqual({ ok: true, message: 'Connected as @switchyard_test_bot (Switchyard Test Bot).' });
  });

  it('says the token was refused (Telegram: 401 Unauthorized) without repeating it', async () => {
    const wrong = '123456789:AAH-this-is-not-the-right-token-000';
    const result = await telegramBot.test!({ token: wrong, baseUrl: fake.url }, { http, signal });
    expect(result).toMatchObject({ ok: false, message: expect.stringContaining('Telegram refused the token (Unauthorized)') });
    expect(result.message).not.toContain(wrong);
    expect((await telegramBot.test!({ token: 'not a token', baseUrl: fake.url }, { http, signal })).message).toMatch(/does not look like a BotFather token/);
  });

  it('goes through the outbound guard, and the token never appears in the error', async () => {
    const error = await telegramBot.test!({ token: fake.token, baseUrl: fake.url }, { http: guarded, signal }).then(() => undefined, (e: Error) => e);
    expect(error?.message).toMatch(/blocked/);
    expect(error?.message).not.toContain(fake.token);
  });

  it('declares its fields: a secret token and an optional Bot API URL under Advanced', () => {
    expect(telegramBot.schema.safeParse({ token: fake.token }).success).toBe(true);
    expect(telegramBot.schema.safeParse({ token: 'abc' }).error?.issues[0]?.message).toMatch(/@BotFather/);
    expect(telegramBot.schema.shape.token.meta()).toMatchObject({ secret: true });
    expect(telegramBot.schema.shape.baseUrl.meta()).toMatchObject({ group: 'Advanced' });
  });
});
