import type { InboundSimulator, Json } from '@switchyard/sdk';
import { SECRET_HEADER } from './client.js';

/**
 * The chat simulator's Telegram contact (decision 031): a private chat whose id is the session's
 * serial, at or above 2^52 — Telegram's user ids have at most 52 significant bits, so no real chat
 * has it — and the Updates Telegram would send for what it types or presses, with the webhook's
 * secret token in the header exactly as `setWebhook` asked Telegram to send it.
 */
/** Callback query ids of simulated presses start so (Telegram's are digits): answering one calls nobody. */
export const SIMULATED_QUERY_PREFIX = 'sim-';

export const telegramSimulator: InboundSimulator = {
  contactId: (serial) => String(serial),
  deliver(account, message) {
    const chatId = Number(message.contact.id);
    const from = { id: chatId, is_bot: false, first_name: message.contact.name };
    const chat = { id: chatId, type: 'private', first_name: message.contact.name };
    const date = Math.floor(message.at / 1000);
    let update: Json;
    if (message.choice) {
      // The press of an inline button under the bot's message (its id is `<chat>:<message_id>` in the store).
      const messageId = Number(message.choice.providerMessageId.split(':').at(-1));
      update = {
        update_id: message.serial,
        callback_query: {
          id: `${SIMULATED_QUERY_PREFIX}${message.serial}`, from, chat_instance: String(message.serial), data: message.choice.id,
          message: {
            message_id: Number.isSafeInteger(messageId) ? messageId : 0, chat, date,
            reply_markup: { inline_keyboard: [[{ text: message.choice.title, callback_data: message.choice.id }]] },
          },
        },
      };
    } else {
      update = { update_id: message.serial, message: { message_id: message.serial, from, chat, date, text: message.text ?? '' } };
    }
    return { headers: { 'content-type': 'application/json', [SECRET_HEADER]: account.secret }, body: JSON.stringify(update) };
  },
};

/** Characters MarkdownV2 escapes with a backslash (https://core.telegram.org/bots/api#markdownv2-style). */
const MARKDOWN_V2_ESCAPED = /\\([_*[\]()~`>#+\-=|{}.!\\])/g;

/**
 * What the contact sees of a formatted text, as Telegram renders it without the styling: the
 * markup removed and escapes undone. The simulator stores this, as a real send stores Telegram's
 * parsed `text`. Best effort for styling (bold, italic, links); the words are exact.
 */
export function plainText(text: string, parseMode: string | undefined): string {
  if (parseMode === 'HTML') {
    return text.replace(/<[^>]*>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  }
  if (parseMode === 'MarkdownV2') {
    // Escaped characters are kept aside (as private-use placeholders) while the markers go, then put back.
    const kept: string[] = [];
    const marked = text.replace(MARKDOWN_V2_ESCAPED, (_m, c: string) => `\uE000${kept.push(c) - 1}\uE001`);
    const stripped = marked.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\|\||[*_~`]/g, '');
    return stripped.replace(/\uE000(\d+)\uE001/g, (_m, i: string) => kept[Number(i)] ?? '');
  }
  if (parseMode === 'Markdown') return text.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]/g, '');
  return text;
}
