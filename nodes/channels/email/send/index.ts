import { createHash } from 'node:crypto';
import { z } from 'zod';
import { defineNode, NonRetryableError, ui, type Json } from '@switchyard/sdk';
import { addressField } from '../addresses.js';
import { mailError, openSmtp } from '../connect.js';
import { smtpFields } from '../credentials.js';
import { loadAttachments } from './attachments.js';
import { emailRecord, simulatedRecipients, simulatedMessageIdFor } from './simulated.js';

const attachment = z.object({
  filename: ui(z.string().trim().min(1, 'enter a file name').max(255), { title: 'File name', description: 'The name the recipient sees', placeholder: 'invoice.pdf' }),
  /** Fetched through the outbound guard when the email is sent. */
  url: ui(z.string().trim().optional(), { title: 'URL', description: 'Fetched when the email is sent (give a URL or base64 content)', placeholder: 'https://example.com/invoice.pdf' }),
  /** Base64, e.g. an HTTP request node's body with `bodyEncoding: 'base64'`. */
  content: ui(z.string().optional(), { title: 'Base64 content', description: 'An earlier node\'s base64 output, e.g. an HTTP request with Response: base64', placeholder: '{{ $node.download.body }}' }),
  /** Default: from the URL's answer, else guessed from the file name. */
  contentType: ui(z.string().trim().optional(), { title: 'Content type (optional)', description: 'Default: from the URL\'s answer, else guessed from the file name', placeholder: 'application/pdf' }),
}).superRefine((a, ctx) => {
  if (!a.url === !a.content) ctx.addIssue({ code: 'custom', path: ['url'], message: 'give either a URL or base64 content' });
});

const props = z.object({
  to: ui(z.string().trim().min(1, 'enter at least one recipient'), { title: 'To', description: 'One or more addresses, separated by commas', placeholder: 'ada@example.com, Bob <bob@example.com>' }),
  cc: ui(z.string().trim().optional(), { title: 'Cc', description: 'Copied recipients (optional)' }),
  bcc: ui(z.string().trim().optional(), { title: 'Bcc', description: 'Hidden recipients (optional)' }),
  replyTo: ui(z.string().trim().optional(), { title: 'Reply-To', description: 'Where replies go, if not to the sender (optional)' }),
  /** Default: the credential's sender. */
  from: ui(z.string().trim().optional(), { title: 'From (optional)', description: 'Default: the sender on the SMTP credential' }),
  subject: ui(z.string().default(''), { title: 'Subject', description: 'The subject line' }),
  text: ui(z.string().default(''), { title: 'Text body', description: 'The plain text body', widget: 'textarea' }),
  html: ui(z.string().default(''), { title: 'HTML body', widget: 'textarea', description: 'Shown by mail apps that display HTML; the text body is the fallback' }),
  /** Default: none. */
  attachments: ui(z.array(attachment).max(20, 'at most 20 attachments').default([]), { title: 'Attachments', description: 'Files by URL or as base64 (10 MB each, 20 MB in all)' }),
  /** Default: 10 per second per SMTP account, across all workers. */
  perSecond: ui(z.number().int().min(1).max(1000).default(10), { title: 'Sends per second', description: 'Shared by all workers sending through this SMTP account', group: 'Advanced' }),
});

/** A Message-ID derived from the idempotency key: the same step sends the same Message-ID, so a repeat is spotted (and dropped by most mail apps). */
function messageIdFor(idempotencyKey: string, fromAddress: string): string {
  const domain = fromAddress.slice(fromAddress.lastIndexOf('@') + 1) || 'switchyard.local';
  return `<${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 32)}@${domain}>`;
}

/** Sends an email through SMTP with nodemailer. */
export default defineNode({
  type: 'email.send',
  version: 1,
  title: 'Send email',
  category: 'Channels',
  description: 'Sends an email (text and HTML, cc/bcc, attachments by URL or base64) through an SMTP server',
  icon: 'mail',
  props,
  credentials: { smtp: { kind: 'smtp', title: 'SMTP server' } },
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, props) {
    const account = ctx.credentials.smtp;
    const to = addressField(props.to, 'to', true);
    const cc = addressField(props.cc, 'cc', false);
    const bcc = addressField(props.bcc, 'bcc', false);
    const replyTo = addressField(props.replyTo, 'replyTo', false);
    const [from, ...extra] = addressField(props.from || account.fields.from, props.from ? 'from' : 'from (the SMTP credential\'s sender)', true);
    if (!from || extra.length > 0) throw new NonRetryableError('from: give exactly one sender address', { code: 'invalid_address' });
    if (props.subject.trim() === '' && props.text === '' && props.html === '' && props.attachments.length === 0) {
      throw new NonRetryableError('subject: the email has no subject, body or attachment', { code: 'empty_email' });
    }
    const attachments = await loadAttachments(props.attachments, ctx.http, ctx.signal);
    const messageId = messageIdFor(ctx.idempotencyKey, from.address);
    const credentialId = account.id ?? '';
    const record = emailRecord(props.subject, props.text, props.html, attachments);
    const recipients = [...to, ...cc, ...bcc];
    const simulated = await simulatedRecipients(ctx.channels, recipients);
    const real = recipients.filter((r) => !simulated.has(r.address.toLowerCase()));

    let info: { messageId: string; accepted: Json[]; rejected: Json[]; response: string } = { messageId, accepted: [], rejected: [], response: '' };
    if (real.length > 0) {
      await ctx.channels?.acquire(`email:${credentialId}`, props.perSecond, ctx.signal);
      const transport = await openSmtp(smtpFields(account.fields), ctx.http, ctx.signal);
      try {
        const sent = await transport.sendMail({
          from, to, cc, bcc, replyTo, subject: props.subject, messageId,
          ...(props.text !== '' ? { text: props.text } : {}),
          ...(props.html !== '' ? { html: props.html } : {}),
          attachments,
          // Simulated recipients stay in the headers as the flow wrote them, but out of the SMTP envelope.
          ...(simulated.size > 0 ? { envelope: { from: from.address, to: real.map((r) => r.address) } } : {}),
        });
        info = { messageId: sent.messageId, accepted: sent.accepted, rejected: sent.rejected, response: sent.response };
      } catch (error) {
        throw mailError('SMTP', error);
      } finally {
        transport.close();
      }
      const contact = real.find((r) => to.includes(r)) ?? real[0]!;
      if (credentialId) {
        await ctx.channels?.recordOutbound({ credentialId, contactId: contact.address, providerMessageId: info.messageId, messageType: 'email', ...record, status: 'sent' });
      }
    }
    // The chat simulator's contacts (decision 042): recorded in the mailbox's conversation, not sent.
    for (const [address, mailbox] of simulated) {
      await ctx.channels?.recordOutbound({ credentialId: mailbox, contactId: address, providerMessageId: simulatedMessageIdFor(messageId, address), messageType: 'email', ...record, status: 'sent' });
    }
    return {
      main: {
        messageId: info.messageId,
        accepted: [...info.accepted, ...simulated.keys()],
        rejected: info.rejected,
        response: real.length > 0 ? info.response : '250 recorded for the chat simulator, not sent',
        to: to.map((a) => a.address),
        /** Recipients played by the chat simulator: their copy was recorded, not sent. */
        simulated: [...simulated.keys()],
      },
    };
  },
});
