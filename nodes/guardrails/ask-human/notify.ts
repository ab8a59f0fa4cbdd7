import { NonRetryableError, type CredentialValue, type EscalationAssignee, type NodeContext } from '@switchyard/sdk';
import { mailError, openSmtp } from '../../channels/email/connect.js';
import { smtpFields } from '../../channels/email/credentials.js';
import { sendText } from '../../channels/telegram/send.js';
import { callTwilio, createTwilioClient } from '../../channels/twilio/client.js';
import { sendMessage } from '../../channels/whatsapp/client.js';
import { whatsappAccount } from '../../channels/whatsapp/credential.js';

/** The accounts notifications go out from, one per channel (only the channels the assignees use are needed). */
export const notifySlots = {
  smtp: { kind: 'smtp', optional: true, title: 'SMTP server (email assignees)' },
  twilio: { kind: 'twilio', optional: true, title: 'Twilio account (SMS assignees)' },
  bot: { kind: 'telegram-bot', optional: true, title: 'Telegram bot (Telegram assignees)' },
  whatsapp: { kind: 'whatsapp-cloud', optional: true, title: 'WhatsApp number (WhatsApp assignees)' },
} as const;

type NotifyContext = NodeContext<typeof notifySlots>;

const SLOT_OF = { email: 'smtp', sms: 'twilio', telegram: 'bot', whatsapp: 'whatsapp' } as const;
const NEEDS = { email: 'an SMTP server', sms: 'a Twilio account', telegram: 'a Telegram bot', whatsapp: 'a WhatsApp number' } as const;

/** The account an assignee's channel needs, or a step error naming the assignee. */
export function accountFor(ctx: NotifyContext, assignee: EscalationAssignee, index: number): CredentialValue {
  const account = ctx.credentials[SLOT_OF[assignee.channel]];
  if (!account) {
    throw new NonRetryableError(`assignees.${index}: notifying ${assignee.address} by ${assignee.channel} needs ${NEEDS[assignee.channel]} credential on this node`, { code: 'missing_credential' });
  }
  return account;
}

/** What the assignee reads. */
export interface Notice {
  subject: string;
  /** Plain text, with the link in it. */
  text: string;
}

/**
 * Tells one assignee, through the same client code the channel's own send nodes use (SMTP through
 * the outbound guard, Twilio's SDK, the Bot API, the WhatsApp Cloud API).
 */
export async function notifyAssignee(ctx: NotifyContext, assignee: EscalationAssignee, index: number, notice: Notice): Promise<void> {
  const account = accountFor(ctx, assignee, index);
  if (assignee.channel === 'email') {
    const transport = await openSmtp(smtpFields(account.fields), ctx.http, ctx.signal);
    try {
      await transport.sendMail({ from: account.fields.from, to: assignee.address, subject: notice.subject, text: notice.text });
    } catch (error) {
      throw mailError('SMTP', error);
    } finally {
      transport.close();
    }
    return;
  }
  if (assignee.channel === 'sms') {
    const from = account.fields.defaultFrom ?? '';
    if (!from) throw new NonRetryableError(`assignees.${index}: the Twilio credential has no default sender to text ${assignee.address} from`, { code: 'missing_sender' });
    const { client, transport } = createTwilioClient({ accountSid: account.fields.accountSid ?? '', authToken: account.fields.authToken ?? '', baseUrl: account.fields.baseUrl }, ctx.http, ctx.signal);
    await callTwilio(transport, () => client.messages.create({
      to: assignee.address, body: notice.text, ...(from.startsWith('MG') ? { messagingServiceSid: from } : { from }),
    }), ctx.signal);
    return;
  }
  if (assignee.channel === 'telegram') {
    await sendText({ ...ctx, credentials: { bot: account } }, {
      chatId: assignee.address, text: notice.text, parseMode: 'none', values: [], overLongText: 'split', disableLinkPreview: true,
    });
    return;
  }
  await sendMessage(ctx, whatsappAccount(account), assignee.address, { type: 'text', text: { preview_url: false, body: notice.text } }, { messageType: 'text', text: notice.text });
}
