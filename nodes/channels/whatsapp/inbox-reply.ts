import type { InboxReplyContext } from '@switchyard/sdk';
import { fitText } from '../_shared/text.js';
import { acceptedMessage, MESSAGES_PER_SECOND, postMessages, recipient, TEXT_LIMIT } from './client.js';
import { whatsappAccount } from './credential.js';

/**
 * A person's reply from the Conversations inbox: one text message from the number to the contact
 * (the contact id is the wa_id), within the number's shared rate limit. Outside the 24-hour window
 * WhatsApp refuses it (131047) and the inbox shows why.
 */
export async function replyWithWhatsApp(ctx: InboxReplyContext, contactId: string, text: string): Promise<{ providerMessageId: string }> {
  const account = whatsappAccount({ id: ctx.account.credentialId, kind: 'whatsapp-cloud', fields: { ...ctx.account.fields } });
  const to = recipient(contactId, null);
  const [body = text] = fitText(text, TEXT_LIMIT, 'refuse', 'text');
  await ctx.acquire(`whatsapp:${account.phoneNumberId}`, MESSAGES_PER_SECOND);
  const answer = await postMessages({ http: ctx.http, signal: ctx.signal }, account, { messaging_product: 'whatsapp', recipient_type: 'individual', to, type: 'text', text: { preview_url: false, body } });
  return { providerMessageId: acceptedMessage(answer, to).messageId };
}
