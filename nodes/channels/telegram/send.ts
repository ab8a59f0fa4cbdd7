import { NonRetryableError, type Json, type JsonObject, type MediaRef, type NodeContext } from '@switchyard/sdk';
import { telegramError, TelegramClient, type Answer } from './client.js';
import { isSimulatedContact, simulatedMessageNumber } from '../_shared/simulated.js';
import { fitText, type OverLongText } from '../_shared/text.js';
import { fillTemplate, type ParseMode, type TemplateValue } from './markup.js';
import { CHAT_ID_PATTERN, type Button, type credentialSlots } from './props.js';
import { plainText, SIMULATED_QUERY_PREFIX } from './simulator.js';
import { messageSchema, type TelegramMessage } from './types.js';

/** Telegram's limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this). */
export const MESSAGES_PER_SECOND_PER_BOT = 30;
export const MESSAGES_PER_SECOND_PER_CHAT = 1;
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export type BotContext = NodeContext<typeof credentialSlots>;

/** The Bot API client for this step's bot. */
export function botClient(ctx: BotContext): TelegramClient {
  const { fields } = ctx.credentials.bot;
  return new TelegramClient(ctx.http, (fields.token ?? '').trim(), fields.baseUrl, ctx.signal);
}

/** The account's key for shared rate limits and the conversation store. */
export function accountId(ctx: BotContext): string {
  return ctx.credentials.bot.id ?? 'unsaved';
}

/** The chat id as Telegram takes it, or a step error naming the field. */
export function checkChatId(chatId: string, field = 'chatId'): string {
  const trimmed = chatId.trim();
  if (!CHAT_ID_PATTERN.test(trimmed)) {
    throw new NonRetryableError(`${field}: "${chatId}" is not a Telegram chat id (a number such as 123456789 or -1001234567890, or @channelusername)`, { code: 'invalid_chat_id' });
  }
  return trimmed;
}

/** Bot API fields for a parse mode (none: no field). */
export function parseModeField(mode: ParseMode): { parse_mode?: string } {
  return mode === 'none' ? {} : { parse_mode: mode };
}

/** Rows of `perRow` inline buttons, or undefined for none. */
export function inlineKeyboard(buttons: readonly Button[], perRow: number): JsonObject | undefined {
  if (buttons.length === 0) return undefined;
  const rows: Json[] = [];
  for (let i = 0; i < buttons.length; i += perRow) {
    rows.push(buttons.slice(i, i + perRow).map((b): JsonObject => (b.action === 'url' ? { text: b.title, url: b.value } : { text: b.title, callback_data: b.value })));
  }
  return { inline_keyboard: rows };
}

/** What the conversation store keeps of a message the bot sent. */
export interface OutboundRecord {
  messageType: string;
  text?: string;
  media?: MediaRef[];
  choices?: { id: string; title: string }[];
}

function isBlocked(description: string): boolean {
  // Telegram's 403s for a contact who cannot be reached any more.
  return /blocked by the user|user is deactivated|bot was kicked/i.test(description);
}

/**
 * Calls a Bot API method that posts into `chatId` within the shared limits (30/s per bot, 1/s per
 * chat), waits out short 429s, marks a contact who blocked the bot, and returns the message.
 * Never repeated by the runtime once it succeeded (the nodes have side effects).
 */
export async function postToChat(ctx: BotContext, chatId: string, method: string, params: Record<string, Json | undefined>): Promise<TelegramMessage> {
  const account = accountId(ctx);
  // The chat simulator's contact (decision 031): Telegram is not called; the message is made up as Telegram would answer.
  if (await isSimulatedContact(ctx.channels, ctx.credentials.bot.id, chatId)) return simulatedMessage(chatId, params);
  const client = botClient(ctx);
  await ctx.channels?.acquire(`telegram:${account}`, MESSAGES_PER_SECOND_PER_BOT, ctx.signal);
  await ctx.channels?.acquire(`telegram:${account}:${chatId}`, MESSAGES_PER_SECOND_PER_CHAT, ctx.signal);
  const answer = await client.patient(method, { chat_id: chatId, ...params });
  if (!answer.ok) {
    const { failure } = answer;
    if (failure.status === 403 && isBlocked(failure.description)) {
      await ctx.channels?.markBlocked(account, chatId);
      throw telegramError(failure, 'contact_blocked');
    }
    throw telegramError(failure);
  }
  const message = messageSchema.safeParse(answer.result);
  // A Bot API that accepted the call but answered something else: not worth repeating the send.
  if (!message.success) throw new NonRetryableError(`Telegram accepted ${method} but its answer is not a Message`, { code: 'provider_answer' });
  return message.data;
}

/** The Message Telegram would answer a send to a simulated chat with (its text as Telegram parses the markup). */
function simulatedMessage(chatId: string, params: Record<string, Json | undefined>): TelegramMessage {
  const mode = typeof params.parse_mode === 'string' ? params.parse_mode : undefined;
  const message: TelegramMessage = { message_id: simulatedMessageNumber(), date: Math.floor(Date.now() / 1000), chat: { id: Number(chatId), type: 'private' } };
  if (typeof params.text === 'string') message.text = plainText(params.text, mode);
  if (typeof params.caption === 'string') message.caption = plainText(params.caption, mode);
  const markup = messageSchema.shape.reply_markup.safeParse(params.reply_markup);
  if (markup.success && markup.data) message.reply_markup = markup.data;
  return message;
}

/**
 * Answers a button press (`answerCallbackQuery`), once, as Telegram's answer says; a press made in
 * the chat simulator (decision 031) is answered without calling Telegram.
 */
export function answerPress(ctx: BotContext, params: Record<string, Json | undefined>): Promise<Answer> {
  const id = params.callback_query_id;
  if (typeof id === 'string' && id.startsWith(SIMULATED_QUERY_PREFIX)) return Promise.resolve({ ok: true, result: true });
  return botClient(ctx).patient('answerCallbackQuery', params);
}

/** Stores a sent message in its conversation (when the runtime offers the store). */
export async function recordSent(ctx: BotContext, message: TelegramMessage, record: OutboundRecord): Promise<void> {
  if (!ctx.channels || ctx.credentials.bot.id === undefined) return;
  // The chat's numeric id, as inbound events name the contact (also when the node was given @channelusername).
  const chatId = String(message.chat.id);
  await ctx.channels.recordOutbound({
    credentialId: ctx.credentials.bot.id,
    contactId: chatId,
    providerMessageId: `${chatId}:${message.message_id}`,
    ...record,
  });
}

/** A sent message as a node's output. */
export function sentOutput(message: TelegramMessage): JsonObject {
  const chatId = String(message.chat.id);
  return { chatId, messageId: message.message_id, providerMessageId: `${chatId}:${message.message_id}`, date: message.date };
}

/** A text message as the send nodes describe it. */
export interface TextMessage {
  chatId: string;
  /** The author's text, formatted for `parseMode`, with `{name}` placeholders. */
  text: string;
  parseMode: ParseMode;
  values: readonly TemplateValue[];
  overLongText: OverLongText;
  disableLinkPreview: boolean;
  replyTo?: string;
  keyboard?: JsonObject;
  /** The keyboard's callback buttons, for the conversation store and the chat simulator. */
  choices?: { id: string; title: string }[];
}

/**
 * Sends a text, in several messages when it is over Telegram's 4,096 characters and the node says
 * split (the keyboard goes under the last part, the reply-to on the first). Returns the messages sent.
 */
export async function sendText(ctx: BotContext, m: TextMessage): Promise<TelegramMessage[]> {
  const chatId = checkChatId(m.chatId);
  const text = fillTemplate(m.text, m.values, m.parseMode);
  const parts = fitText(text, TEXT_LIMIT, m.overLongText, 'text');
  const sent: TelegramMessage[] = [];
  for (const [index, part] of parts.entries()) {
    const last = index === parts.length - 1;
    const message = await postToChat(ctx, chatId, 'sendMessage', {
      text: part,
      ...parseModeField(m.parseMode),
      ...(m.disableLinkPreview ? { link_preview_options: { is_disabled: true } } : {}),
      ...(index === 0 && m.replyTo ? { reply_parameters: { message_id: Number(m.replyTo), allow_sending_without_reply: true } } : {}),
      ...(last && m.keyboard ? { reply_markup: m.keyboard } : {}),
    });
    // What the contact sees (formatting parsed by Telegram), not our markup.
    await recordSent(ctx, message, { messageType: 'text', text: message.text ?? part, ...(last && m.choices?.length ? { choices: m.choices } : {}) });
    sent.push(message);
  }
  return sent;
}
