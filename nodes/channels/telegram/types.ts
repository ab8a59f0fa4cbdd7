import { z } from 'zod';

/**
 * The parts of Telegram's Bot API objects this provider reads (https://core.telegram.org/bots/api#available-types).
 * Loose: Telegram adds fields often, and whatever we do not read is passed on under `raw`.
 */

export const userSchema = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  first_name: z.string(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});
export type TelegramUser = z.infer<typeof userSchema>;

export const chatSchema = z.looseObject({
  id: z.number().int(),
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});
export type TelegramChat = z.infer<typeof chatSchema>;

const fileSchema = z.looseObject({
  file_id: z.string(),
  file_unique_id: z.string().optional(),
  file_size: z.number().optional(),
  mime_type: z.string().optional(),
  file_name: z.string().optional(),
});

const entitySchema = z.looseObject({ type: z.string(), offset: z.number().int(), length: z.number().int() });

export const inlineButtonSchema = z.looseObject({
  text: z.string(),
  callback_data: z.string().optional(),
  url: z.string().optional(),
});

export const messageSchema = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: chatSchema,
  from: userSchema.optional(),
  /** Channel posts are signed by the channel itself. */
  sender_chat: chatSchema.optional(),
  edit_date: z.number().int().optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(entitySchema).optional(),
  photo: z.array(fileSchema).optional(),
  document: fileSchema.optional(),
  animation: fileSchema.optional(),
  sticker: fileSchema.extend({ emoji: z.string().optional() }).optional(),
  voice: fileSchema.optional(),
  audio: fileSchema.optional(),
  video: fileSchema.optional(),
  video_note: fileSchema.optional(),
  location: z.looseObject({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.looseObject({ title: z.string(), address: z.string() }).optional(),
  contact: z.looseObject({ phone_number: z.string(), first_name: z.string(), last_name: z.string().optional(), user_id: z.number().optional() }).optional(),
  poll: z.looseObject({ id: z.string(), question: z.string() }).optional(),
  dice: z.looseObject({ emoji: z.string(), value: z.number() }).optional(),
  reply_to_message: z.looseObject({ message_id: z.number().int() }).optional(),
  reply_markup: z.looseObject({ inline_keyboard: z.array(z.array(inlineButtonSchema)).optional() }).optional(),
});
export type TelegramMessage = z.infer<typeof messageSchema>;

export const callbackQuerySchema = z.looseObject({
  id: z.string(),
  from: userSchema,
  /** Absent for buttons under inline-mode messages; may be an "inaccessible" stub (date 0) when too old. */
  message: z.looseObject({ message_id: z.number().int(), chat: chatSchema, date: z.number().int() }).optional(),
  inline_message_id: z.string().optional(),
  chat_instance: z.string().optional(),
  data: z.string().optional(),
});
export type TelegramCallbackQuery = z.infer<typeof callbackQuerySchema>;

export const chatMemberUpdatedSchema = z.looseObject({
  chat: chatSchema,
  from: userSchema,
  date: z.number().int(),
  old_chat_member: z.looseObject({ status: z.string() }),
  new_chat_member: z.looseObject({ status: z.string(), user: userSchema.optional() }),
});

export const reactionUpdatedSchema = z.looseObject({
  chat: chatSchema,
  message_id: z.number().int(),
  user: userSchema.optional(),
  date: z.number().int(),
  new_reaction: z.array(z.looseObject({ type: z.string(), emoji: z.string().optional() })),
});

/** `getMe`'s answer. */
export const botSchema = userSchema.extend({ username: z.string() });

/** `getWebhookInfo`'s answer. */
export const webhookInfoSchema = z.looseObject({
  url: z.string(),
  pending_update_count: z.number().optional(),
  allowed_updates: z.array(z.string()).optional(),
  last_error_message: z.string().optional(),
});
