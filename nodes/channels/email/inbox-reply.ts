import { NonRetryableError, type InboxReplyContext, type InboxReplyThread } from '@switchyard/sdk';
import { addressField } from './addresses.js';
import { mailError, mailSecurity, openSmtp } from './connect.js';

/** Mails a person may send from the inbox per second per IMAP account (a mailbox is not a bulk sender). */
const REPLIES_PER_SECOND = 5;

/** "Re: " before the subject replied to, once (a thread's subject does not grow "Re: Re: Re:"). */
export function replySubject(subject: string | undefined): string {
  const text = (subject ?? '').trim();
  if (text === '') return 'Re: your message';
  return /^re:/i.test(text) ? text : `Re: ${text}`;
}

/**
 * A person's reply from the inbox to a mail the IMAP trigger received (decision 047): sent through the
 * SMTP server the IMAP account names for replies, signed in with the same user name and password, as
 * a reply to the contact's latest mail (`In-Reply-To` and `References`, "Re: " + its subject), so it
 * lands in the contact's thread in their mail client too. The contact id is their address.
 */
export async function replyByEmail(ctx: InboxReplyContext, contactId: string, text: string, thread?: InboxReplyThread): Promise<{ providerMessageId: string }> {
  const fields = ctx.account.fields;
  const host = (fields.smtpHost ?? '').trim();
  if (!host) {
    throw new NonRetryableError('this IMAP account has no SMTP server for replies: set one under "Replies from the inbox" in its credential', { code: 'reply_not_configured' });
  }
  const [from] = addressField(fields.replyFrom || fields.user, fields.replyFrom ? 'reply from' : 'the IMAP user name (set "Reply from" when it is not an address)', true);
  const [to] = addressField(contactId, 'the contact', true);
  const last = thread?.lastInbound;
  await ctx.acquire(`email-reply:${ctx.account.credentialId}`, REPLIES_PER_SECOND);
  const transport = await openSmtp({ host, port: Number(fields.smtpPort || 587), security: mailSecurity(fields.smtpSecurity, 'starttls'), user: fields.user, password: fields.password }, ctx.http, ctx.signal);
  try {
    const sent = await transport.sendMail({
      from, to, subject: replySubject(last?.email?.subject), text,
      ...(last ? { inReplyTo: last.providerMessageId, references: [last.providerMessageId] } : {}),
    });
    return { providerMessageId: sent.messageId };
  } catch (error) {
    throw mailError('SMTP', error);
  } finally {
    transport.close();
  }
}
