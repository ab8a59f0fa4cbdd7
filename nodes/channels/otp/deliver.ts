import { NonRetryableError, type CredentialValue, type JsonObject, type NodeContext } from '@switchyard/sdk';
import { mailError, openSmtp } from '../email/connect.js';
import { smtpFields } from '../email/credentials.js';
import { callTwilio, createTwilioClient } from '../twilio/client.js';
import { simulatedSend } from '../twilio/simulator.js';
import { whatsappAccount } from '../whatsapp/credential.js';
import { sendMessage } from '../whatsapp/client.js';
import { masked, type OtpChannel } from './codes.js';

/** The accounts a code can go out from, one per channel (only the channel's own is needed). */
export interface OtpAccounts { twilio?: CredentialValue; whatsapp?: CredentialValue; smtp?: CredentialValue }

/** What the message says and how it is addressed. */
export interface OtpMessage {
  channel: OtpChannel;
  to: string;
  code: string;
  /** The text, with the code in it. */
  text: string;
  /** SMS sender; default: the Twilio account's default sender. */
  from?: string;
  /** Email subject. */
  subject: string;
  /** An approved WhatsApp authentication template (body and copy-code button take the code); empty: a plain text message. */
  whatsappTemplate?: string;
  whatsappLanguage: string;
}

type DeliverContext = Pick<NodeContext, 'http' | 'signal' | 'channels'>;

function need(account: CredentialValue | undefined, slot: string, channel: string): CredentialValue {
  if (!account) throw new NonRetryableError(`${slot}: sending codes by ${channel} needs a ${slot === 'smtp' ? 'SMTP' : slot === 'twilio' ? 'Twilio' : 'WhatsApp'} credential on this node`, { code: 'missing_credential' });
  return account;
}

/**
 * Sends the code on its channel and returns the provider's message id. The conversation store gets
 * the message with the code masked: the code exists only in the message itself.
 */
export async function deliverCode(ctx: DeliverContext, accounts: OtpAccounts, message: OtpMessage): Promise<string> {
  const hidden = masked(message.text, message.code);
  if (message.channel === 'sms') {
    const account = need(accounts.twilio, 'twilio', 'SMS');
    const from = message.from || account.fields.defaultFrom || '';
    if (!from) throw new NonRetryableError('from: no sender: set one on the node or a default sender on the Twilio credential', { code: 'missing_sender' });
    const { client, transport } = createTwilioClient({ accountSid: account.fields.accountSid ?? '', authToken: account.fields.authToken ?? '', baseUrl: account.fields.baseUrl }, ctx.http, ctx.signal);
    await ctx.channels?.acquire(`twilio:${account.id ?? ''}:${from}`, 10, ctx.signal);
    // The chat simulator's contact (decision 031): recorded, never sent.
    const sent = await simulatedSend(ctx.channels, account.id, message.to) ?? await callTwilio(transport, () => client.messages.create({
      to: message.to, body: message.text, ...(from.startsWith('MG') ? { messagingServiceSid: from } : { from }),
      ...(account.callbackUrl ? { statusCallback: account.callbackUrl } : {}),
    }), ctx.signal);
    if (account.id) await ctx.channels?.recordOutbound({ credentialId: account.id, contactId: message.to, providerMessageId: sent.sid, messageType: 'text', text: hidden, status: 'queued' });
    return sent.sid;
  }
  if (message.channel === 'whatsapp') {
    const account = whatsappAccount(need(accounts.whatsapp, 'whatsapp', 'WhatsApp'));
    const content: JsonObject = message.whatsappTemplate
      ? {
        type: 'template',
        template: {
          name: message.whatsappTemplate, language: { code: message.whatsappLanguage },
          // Authentication templates take the code in the body and in the copy-code button.
          components: [
            { type: 'body', parameters: [{ type: 'text', text: message.code }] },
            { type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: message.code }] },
          ],
        },
      }
      : { type: 'text', text: { preview_url: false, body: message.text } };
    const sent = await sendMessage(ctx, account, message.to, content, { messageType: message.whatsappTemplate ? 'template' : 'text', text: hidden });
    return sent.messageId;
  }
  const account = need(accounts.smtp, 'smtp', 'email');
  const transport = await openSmtp(smtpFields(account.fields), ctx.http, ctx.signal);
  try {
    const info = await transport.sendMail({ from: account.fields.from, to: message.to, subject: message.subject, text: message.text });
    if (account.id) await ctx.channels?.recordOutbound({ credentialId: account.id, contactId: message.to, providerMessageId: info.messageId, messageType: 'email', text: `${message.subject}\n\n${hidden}`, status: 'sent' });
    return info.messageId;
  } catch (error) {
    throw mailError('SMTP', error);
  } finally {
    transport.close();
  }
}
