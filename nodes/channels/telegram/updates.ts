import { InboundPayloadError, isJsonObject, type InboundEvent, type InboundMessage, type Json, type JsonObject, type MediaRef } from '@switchyard/sdk';
import type { z } from 'zod';
import {
  callbackQuerySchema, chatMemberUpdatedSchema, messageSchema, reactionUpdatedSchema,
  type TelegramCallbackQuery, type TelegramChat, type TelegramMessage, type TelegramUser,
} from './types.js';

/**
 * One Telegram Update (https://core.telegram.org/bots/api#update) → one inbound event. Telegram
 * sends exactly one Update per webhook call; its `update_id` is the deduplication key.
 */

/** Update kinds a trigger can listen to (`allowed_updates`). */
export const UPDATE_KIND_NAMES = [
  'message', 'edited_message', 'channel_post', 'edited_channel_post', 'callback_query', 'my_chat_member', 'chat_member', 'message_reaction',
] as const;
export type UpdateKind = (typeof UPDATE_KIND_NAMES)[number];

/** The event type each update kind becomes. */
export const UPDATE_KINDS: Record<UpdateKind, string> = {
  message: 'message',
  edited_message: 'edit',
  channel_post: 'message',
  edited_channel_post: 'edit',
  callback_query: 'callback',
  my_chat_member: 'member',
  chat_member: 'member',
  message_reaction: 'reaction',
};

/** Message types a trigger can filter on; anything else Telegram sends is `unknown`. */
export const MESSAGE_TYPES = [
  'text', 'photo', 'document', 'animation', 'sticker', 'voice', 'video', 'video_note', 'audio',
  'location', 'venue', 'contact', 'poll', 'dice', 'unknown',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

function fail(kind: string, error: z.ZodError): never {
  const issue = error.issues[0];
  const where = [kind, ...(issue?.path ?? []).map(String)].join('.');
  throw new InboundPayloadError(`the Telegram update's ${where} is malformed: ${issue?.message ?? 'unexpected shape'}`);
}

function fullName(user: { first_name?: string; last_name?: string }): string | undefined {
  const name = [user.first_name, user.last_name].filter((p) => p !== undefined && p !== '').join(' ');
  return name === '' ? undefined : name;
}

function sender(user: TelegramUser): JsonObject {
  return drop({
    id: String(user.id), name: fullName(user) ?? '', username: user.username,
    languageCode: user.language_code, isBot: user.is_bot ?? false,
  });
}

/** The contact a chat is: the chat's id, named after whoever wrote (or the group/channel's title). */
function contactOf(chat: TelegramChat, from: TelegramUser | undefined): { id: string; name?: string } {
  const name = (from && fullName(from)) ?? chat.title ?? fullName(chat);
  return name === undefined ? { id: String(chat.id) } : { id: String(chat.id), name };
}

/** A JSON object without its undefined entries. */
function drop(entries: Record<string, Json | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(entries)) if (value !== undefined) out[key] = value;
  return out;
}

function mediaJson(media: MediaRef): JsonObject {
  return drop({ kind: media.kind, id: media.id, url: media.url, mimeType: media.mimeType, caption: media.caption, fileName: media.fileName });
}

function typeAndMedia(m: TelegramMessage): { messageType: MessageType; media: MediaRef[] } {
  const file = (kind: string, f: { file_id: string; mime_type?: string; file_name?: string }): MediaRef[] => {
    const ref: MediaRef = { kind, id: f.file_id };
    if (f.mime_type !== undefined) ref.mimeType = f.mime_type;
    if (f.file_name !== undefined) ref.fileName = f.file_name;
    if (m.caption !== undefined) ref.caption = m.caption;
    return [ref];
  };
  if (m.text !== undefined) return { messageType: 'text', media: [] };
  // Telegram sends each size of a photo; the last is the largest.
  const photo = m.photo?.at(-1);
  if (photo) return { messageType: 'photo', media: file('image', photo) };
  // An animation also carries `document` for old clients: check it first.
  if (m.animation) return { messageType: 'animation', media: file('animation', m.animation) };
  if (m.document) return { messageType: 'document', media: file('document', m.document) };
  if (m.sticker) return { messageType: 'sticker', media: file('sticker', m.sticker) };
  if (m.voice) return { messageType: 'voice', media: file('voice', m.voice) };
  if (m.video_note) return { messageType: 'video_note', media: file('video_note', m.video_note) };
  if (m.video) return { messageType: 'video', media: file('video', m.video) };
  if (m.audio) return { messageType: 'audio', media: file('audio', m.audio) };
  // A venue carries its location too.
  if (m.venue) return { messageType: 'venue', media: [] };
  if (m.location) return { messageType: 'location', media: [] };
  if (m.contact) return { messageType: 'contact', media: [] };
  if (m.poll) return { messageType: 'poll', media: [] };
  if (m.dice) return { messageType: 'dice', media: [] };
  return { messageType: 'unknown', media: [] };
}

/** `/start@my_bot ref42` → `{ command: '/start', args: 'ref42' }`. */
export function parseCommand(text: string | undefined): { command: string; args: string } | undefined {
  const match = text === undefined ? null : /^(\/[A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{3,64})?(?:\s+([\s\S]*))?$/.exec(text);
  return match ? { command: match[1]!.toLowerCase(), args: (match[2] ?? '').trim() } : undefined;
}

function messageEvent(updateId: number, kind: UpdateKind, value: unknown, raw: Json): InboundEvent {
  const parsed = messageSchema.safeParse(value);
  if (!parsed.success) fail(kind, parsed.error);
  const m = parsed.data;
  const chatId = String(m.chat.id);
  const text = m.text ?? m.caption;
  const { messageType, media } = typeAndMedia(m);
  const command = parseCommand(m.text);
  const message: InboundMessage = { providerMessageId: `${chatId}:${m.message_id}`, messageType };
  if (text !== undefined) message.text = text;
  if (media.length > 0) message.media = media;
  const isEdit = kind === 'edited_message' || kind === 'edited_channel_post';
  return {
    id: String(updateId),
    type: UPDATE_KINDS[kind],
    contact: contactOf(m.chat, m.from),
    message,
    at: ((isEdit ? m.edit_date : undefined) ?? m.date) * 1000,
    data: drop({
      updateId, updateKind: kind, chatId, chatType: m.chat.type, chatTitle: m.chat.title,
      from: m.from ? sender(m.from) : null,
      messageId: m.message_id, messageType, text: text ?? null,
      command: command?.command, commandArgs: command?.args,
      media: media.map(mediaJson),
      location: m.location ? { latitude: m.location.latitude, longitude: m.location.longitude } : undefined,
      venue: m.venue ? { title: m.venue.title, address: m.venue.address } : undefined,
      contactCard: m.contact ? drop({ phoneNumber: m.contact.phone_number, firstName: m.contact.first_name, lastName: m.contact.last_name, userId: m.contact.user_id === undefined ? undefined : String(m.contact.user_id) }) : undefined,
      replyToMessageId: m.reply_to_message?.message_id,
      channelPost: kind === 'channel_post' || kind === 'edited_channel_post',
      date: m.date,
      raw,
    }),
  };
}

/** The title of the button whose `callback_data` was pressed, read from the keyboard the query came from. */
function buttonTitle(query: TelegramCallbackQuery): string | undefined {
  const keyboard = messageSchema.shape.reply_markup.safeParse(query.message?.reply_markup);
  const rows = keyboard.success ? (keyboard.data?.inline_keyboard ?? []) : [];
  return rows.flat().find((b) => b.callback_data !== undefined && b.callback_data === query.data)?.text;
}

function callbackEvent(updateId: number, value: unknown, raw: Json): InboundEvent {
  const parsed = callbackQuerySchema.safeParse(value);
  if (!parsed.success) fail('callback_query', parsed.error);
  const q = parsed.data;
  // Buttons under inline-mode messages have no chat: the person who pressed is the contact then.
  const chat = q.message?.chat ?? { id: q.from.id, type: 'private' };
  const title = buttonTitle(q);
  const message: InboundMessage = { providerMessageId: `callback:${q.id}`, messageType: 'callback' };
  const text = title ?? q.data;
  if (text !== undefined) message.text = text;
  if (q.data !== undefined) message.choice = title === undefined ? { id: q.data } : { id: q.data, title };
  return {
    id: String(updateId),
    type: 'callback',
    contact: contactOf(chat, q.from),
    message,
    data: drop({
      updateId, updateKind: 'callback_query', chatId: String(chat.id), chatType: chat.type,
      from: sender(q.from), callbackQueryId: q.id, callbackData: q.data ?? null, buttonTitle: title,
      messageId: q.message?.message_id, inlineMessageId: q.inline_message_id,
      messageType: 'callback', text: text ?? null, raw,
    }),
  };
}

function memberEvent(updateId: number, kind: 'my_chat_member' | 'chat_member', value: unknown, raw: Json): InboundEvent {
  const parsed = chatMemberUpdatedSchema.safeParse(value);
  if (!parsed.success) fail(kind, parsed.error);
  const u = parsed.data;
  const newStatus = u.new_chat_member.status;
  return {
    id: String(updateId),
    type: 'member',
    contact: contactOf(u.chat, u.from),
    at: u.date * 1000,
    data: drop({
      updateId, updateKind: kind, chatId: String(u.chat.id), chatType: u.chat.type, chatTitle: u.chat.title,
      from: sender(u.from), oldStatus: u.old_chat_member.status, newStatus,
      member: u.new_chat_member.user ? sender(u.new_chat_member.user) : undefined,
      // In a private chat, the bot "kicked" by the user is how Telegram says the user blocked it.
      blocked: kind === 'my_chat_member' && u.chat.type === 'private' && newStatus === 'kicked',
      date: u.date, raw,
    }),
  };
}

function reactionEvent(updateId: number, value: unknown, raw: Json): InboundEvent {
  const parsed = reactionUpdatedSchema.safeParse(value);
  if (!parsed.success) fail('message_reaction', parsed.error);
  const r = parsed.data;
  const emojis = r.new_reaction.flatMap((x) => (x.emoji === undefined ? [] : [x.emoji]));
  return {
    id: String(updateId),
    type: 'reaction',
    contact: contactOf(r.chat, r.user),
    at: r.date * 1000,
    data: drop({
      updateId, updateKind: 'message_reaction', chatId: String(r.chat.id), chatType: r.chat.type,
      from: r.user ? sender(r.user) : null, messageId: r.message_id, emojis, date: r.date, raw,
    }),
  };
}

/** Best effort for kinds Telegram added that we do not model: whoever the payload names. */
function unknownEvent(updateId: number, kind: string, value: Json, raw: Json): InboundEvent {
  const object = isJsonObject(value) ? value : {};
  const chat = isJsonObject(object.chat) ? object.chat : undefined;
  const person = [object.from, object.user].find(isJsonObject);
  const id = chat?.id ?? person?.id;
  const name = person && typeof person.first_name === 'string' ? [person.first_name, person.last_name].filter((p) => typeof p === 'string').join(' ') : undefined;
  const event: InboundEvent = { id: String(updateId), type: 'unknown', data: { updateId, updateKind: kind, messageType: 'unknown', raw } };
  if (typeof id === 'number' || typeof id === 'string') event.contact = name ? { id: String(id), name } : { id: String(id) };
  return event;
}

/** The event of one Update, or an {@link InboundPayloadError} naming what is malformed. */
export function updateToEvent(update: unknown): InboundEvent {
  if (!isJsonObject(update)) throw new InboundPayloadError('the body is not a Telegram Update (a JSON object)');
  const updateId = update.update_id;
  if (typeof updateId !== 'number' || !Number.isSafeInteger(updateId) || updateId < 0) {
    throw new InboundPayloadError('the Telegram update has no valid update_id (a non-negative integer)');
  }
  const kind = Object.keys(update).find((k) => k !== 'update_id');
  if (kind === undefined) throw new InboundPayloadError('the Telegram update carries nothing besides its update_id');
  const value = update[kind]!;
  switch (kind) {
    case 'message': case 'edited_message': case 'channel_post': case 'edited_channel_post':
      return messageEvent(updateId, kind, value, update);
    case 'callback_query':
      return callbackEvent(updateId, value, update);
    case 'my_chat_member': case 'chat_member':
      return memberEvent(updateId, kind, value, update);
    case 'message_reaction':
      return reactionEvent(updateId, value, update);
    default:
      return unknownEvent(updateId, kind, value, update);
  }
}
