import { NonRetryableError, type InboxReplyContext } from '@switchyard/sdk';
import { fitText } from '../_shared/text.js';
import { callTwilio, createTwilioClient } from './client.js';

/** Twilio's limit for one message body. */
const BODY_LIMIT = 1600;
/** The inbox shares the senders' limit with "Send SMS" (its default). */
const PER_SECOND = 10;

/**
 * A person's reply from the Conversations inbox: one message from the account's default sender to
 * the contact (`+…` for SMS, `whatsapp:+…` for WhatsApp, as the contact wrote in), with the delivery
 * reported to the account's callback URL like any send.
 */
export async function replyWithTwilio(ctx: InboxReplyContext, contactId: string, text: string): Promise<{ providerMessageId: string }> {
  const fields = ctx.account.fields;
  let from = fields.defaultFrom ?? '';
  if (!from) throw new NonRetryableError('the Twilio credential has no default sender: set one to reply from the inbox', { code: 'missing_sender' });
  const whatsapp = contactId.toLowerCase().startsWith('whatsapp:');
  const viaService = from.startsWith('MG');
  if (whatsapp && !viaService && !from.startsWith('whatsapp:')) from = `whatsapp:${from}`;
  const [body] = fitText(text, BODY_LIMIT, 'refuse', 'text');
  await ctx.acquire(`twilio:${ctx.account.credentialId}:${from}`, PER_SECOND);
  const { client, transport } = createTwilioClient({ accountSid: fields.accountSid ?? '', authToken: fields.authToken ?? '', baseUrl: fields.baseUrl }, ctx.http, ctx.signal);
  const message = await callTwilio(transport, () => client.messages.create({
    to: contactId, body, ...(viaService ? { messagingServiceSid: from } : { from }), statusCallback: ctx.account.callbackUrl,
  }), ctx.signal);
  return { providerMessageId: message.sid };
}
