/**
 * Updates as Telegram sends them (https://core.telegram.org/bots/api#update), built for the fake
 * Bot API to deliver: a contact writing, pressing an inline button, editing a message.
 */

export type Update = { update_id: number } & Record<string, unknown>;

export interface FakeUser {
  id: number;
  is_bot: false;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** Options of a contact's update. Default sender: a private chat's own user, "Ada Lovelace". */
export interface FromOptions {
  from?: Partial<FakeUser>;
}

export interface FakeUpdates {
  /** The next update id (increasing, and past any earlier fake's, as Telegram's are). */
  nextUpdateId(): number;
  /** A contact writes `text` (a command if it starts with `/`) to the bot in `chatId`. */
  userMessage(chatId: string | number, text: string, options?: FromOptions): Update;
  /** A contact sends a photo (its largest size last, as Telegram lists them) with an optional caption. */
  userPhoto(chatId: string | number, caption?: string, options?: FromOptions): Update;
  /** A contact edits their message `messageId`. */
  editedMessage(chatId: string | number, messageId: number, text: string, options?: FromOptions): Update;
  /**
   * A contact presses the inline button with `data` under the bot's message `messageId`. The update
   * carries that message with its keyboard, and its query id is answerable once.
   */
  buttonPress(chatId: string | number, messageId: number, data: string, options?: FromOptions): Update;
}

interface KnownMessage {
  text?: string;
  replyMarkup?: unknown;
  date: number;
}

export function fakeUpdates(
  bot: { id: number; is_bot: true; first_name: string; username: string },
  nextMessageId: (chatId: string) => number,
  findMessage: (chatId: string, messageId: number) => KnownMessage | undefined,
): FakeUpdates & { takeCallbackQuery(id: string): boolean } {
  // Milliseconds since the epoch: a fake started later never reuses an earlier one's ids.
  let updateId = Date.now();
  let queryId = 0;
  const openQueries = new Set<string>();
  const now = () => Math.floor(Date.now() / 1000);

  const chatOf = (chatId: string | number, from: FakeUser) => {
    const id = Number(chatId);
    return id > 0
      ? { id, type: 'private', first_name: from.first_name, ...(from.last_name ? { last_name: from.last_name } : {}), ...(from.username ? { username: from.username } : {}) }
      : { id, type: 'supergroup', title: 'Test group' };
  };
  const userOf = (chatId: string | number, options?: FromOptions): FakeUser => {
    const id = Number(chatId);
    return { id: id > 0 ? id : 4242, is_bot: false, first_name: 'Ada', last_name: 'Lovelace', username: 'ada', language_code: 'en', ...options?.from };
  };
  const commandEntities = (text: string) => {
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    return command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {};
  };

  return {
    nextUpdateId: () => ++updateId,
    userMessage(chatId, text, options) {
      const from = userOf(chatId, options);
      const message = { message_id: nextMessageId(String(chatId)), from, chat: chatOf(chatId, from), date: now(), text, ...commandEntities(text) };
      return { update_id: ++updateId, message };
    },
    userPhoto(chatId, caption, options) {
      const from = userOf(chatId, options);
      const id = nextMessageId(String(chatId));
      const photo = [90, 320, 800].map((w) => ({ file_id: `AgAC-${id}-${w}`, file_unique_id: `AQAD-${id}-${w}`, width: w, height: Math.round(w * 0.75), file_size: w * 100 }));
      const message = { message_id: id, from, chat: chatOf(chatId, from), date: now(), photo, ...(caption !== undefined ? { caption } : {}) };
      return { update_id: ++updateId, message };
    },
    editedMessage(chatId, messageId, text, options) {
      const from = userOf(chatId, options);
      const date = now();
      return { update_id: ++updateId, edited_message: { message_id: messageId, from, chat: chatOf(chatId, from), date: date - 1, edit_date: date, text } };
    },
    buttonPress(chatId, messageId, data, options) {
      const from = userOf(chatId, options);
      const known = findMessage(String(chatId), messageId);
      const id = `${bot.id}${String(++queryId).padStart(6, '0')}`;
      openQueries.add(id);
      const message = {
        message_id: messageId, from: bot, chat: chatOf(chatId, from), date: known?.date ?? now(),
        ...(known?.text !== undefined ? { text: known.text } : {}),
        ...(known?.replyMarkup !== undefined ? { reply_markup: known.replyMarkup } : {}),
      };
      return { update_id: ++updateId, callback_query: { id, from, message, chat_instance: `ci-${chatId}`, data } };
    },
    takeCallbackQuery: (id) => openQueries.delete(id),
  };
}
