import { NonRetryableError, type InboxReplyContext } from '@switchyard/sdk';
import { fitText } from '../_shared/text.js';
import { telegramError, TelegramClient } from './client.js';
import { CHAT_ID_PATTERN } from './props.js';
import { MESSAGES_PER_SECOND_PER_BOT, MESSAGES_PER_SECOND_PER_CHAT, TEXT_LIMIT } from './send.js';
import { messageSchema } from './types.js';

/**
 * A person's reply from the Conversations inbox: one plain-text message from the bot to the chat
 * (the contact id is the chat id), within the same shared limits as the send nodes.
 */
export async function replyWithTelegram(ctx: InboxReplyContext, contactId: string, text: string): Promise<{ providerMessageId: string }> {
  if (!CHAT_ID_PATTERN.test(contactId)) throw new NonRetryableError(`"${contactId}" is not a Telegram chat id`, { code: 'invalid_chat_id' });
  const [body] = fitText(text, TEXT_LIMIT, 'refuse', 'text');
  const account = ctx.account.credentialId;
  await ctx.acquire(`telegram:${account}`, MESSAGES_PER_SECOND_PER_BOT);
  await ctx.acquire(`telegram:${account}:${contactId}`, MESSAGES_PER_SECOND_PER_CHAT);
  const client = new TelegramClient(ctx.http, (ctx.account.fields.token ?? '').trim(), ctx.account.fields.baseUrl, ctx.signal);
  const answer = await client.patient('sendMessage', { chat_id: contactId, text: body });
  if (!answer.ok) throw telegramError(answer.failure, answer.failure.status === 403 ? 'contact_blocked' : undefined);
  const message = messageSchema.safeParse(answer.result);
  if (!message.success) throw new NonRetryableError('Telegram accepted sendMessage but its answer is not a Message', { code: 'provider_answer' });
  return { providerMessageId: `${message.data.chat.id}:${message.data.message_id}` };
}
