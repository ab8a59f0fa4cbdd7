import { z } from 'zod';
import { defineCredentialKind, ui, type CredentialTestResult } from '@switchyard/sdk';
import { mailError, mailSecurity, openImap, openSmtp, type ImapFields, type SmtpFields } from './connect.js';
import { parseAddressList } from './addresses.js';
import { replyByEmail } from './inbox-reply.js';

/** A host name or IP address (no scheme, no port). */
const HOST = /^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:]+\]?$/;
const hostHint = (placeholder: string) => `a host name like ${placeholder}, without scheme or port`;

function hostField(placeholder: string) {
  return ui(z.string().trim().min(1, 'enter the server name').regex(HOST, hostHint(placeholder)), {
    title: 'Server', placeholder, expression: false,
  });
}

const securityLabels = { tls: 'TLS from the start (usually port 465 / 993)', starttls: 'STARTTLS, required (usually port 587 / 143)', none: 'None: clear text (local relays only)' };

/** Sending mail: an SMTP server and the default sender. */
export const smtpCredential = defineCredentialKind({
  kind: 'smtp',
  title: 'SMTP (send email)',
  description: 'An SMTP server to send email through (Gmail, Microsoft 365, SES, Postmark, your own relay)',
  schema: z.object({
    host: hostField('smtp.example.com'),
    /** Default: 587. */
    port: ui(z.coerce.number().int().min(1).max(65535).default(587), { title: 'Port', expression: false }),
    /** Default: 'starttls'. */
    security: ui(z.enum(['starttls', 'tls', 'none']).default('starttls'), { title: 'Security', enumLabels: securityLabels, expression: false }),
    user: ui(z.string().trim().optional(), { title: 'User name (optional)', expression: false }),
    password: ui(z.string().optional(), { title: 'Password or app password', secret: true, expression: false }),
    from: ui(z.string().trim().min(1, 'enter the sender address').refine((v) => parseAddressList(v).length === 1, 'one address, like "Shop <shop@example.com>"'), {
      title: 'From', placeholder: 'Shop <shop@example.com>', description: 'The default sender of "Send email"', expression: false,
    }),
  }),
  async test(fields, ctx): Promise<CredentialTestResult> {
    let transport;
    try {
      transport = await openSmtp(smtpFields(fields), ctx.http, ctx.signal);
      await transport.verify();
      return { ok: true, message: `Connected to ${fields.host}:${fields.port ?? 587}${fields.user ? ' and signed in' : ''}.` };
    } catch (error) {
      return { ok: false, message: mailError('SMTP', error).message };
    } finally {
      transport?.close();
    }
  },
});

/** The IMAP form's group for what replies from the inbox need. */
const REPLIES = 'Replies from the inbox';

/** Reading mail: an IMAP server and the folder the trigger watches (and, optionally, where inbox replies go out). */
export const imapCredential = defineCredentialKind({
  kind: 'imap',
  title: 'IMAP (receive email)',
  description: 'A mailbox to watch for new mail over IMAP',
  schema: z.object({
    host: hostField('imap.example.com'),
    /** Default: 993. */
    port: ui(z.coerce.number().int().min(1).max(65535).default(993), { title: 'Port', expression: false }),
    /** Default: 'tls'. */
    security: ui(z.enum(['tls', 'starttls', 'none']).default('tls'), { title: 'Security', enumLabels: securityLabels, expression: false }),
    user: ui(z.string().trim().min(1, 'enter the user name'), { title: 'User name', expression: false }),
    password: ui(z.string().min(1, 'enter the password'), { title: 'Password or app password', secret: true, expression: false }),
    /** Default: 'INBOX'. */
    mailbox: ui(z.string().trim().min(1).default('INBOX'), { title: 'Folder', placeholder: 'INBOX', expression: false }),
    /** Default: none (the inbox cannot reply to this mailbox's threads). */
    smtpHost: ui(z.string().trim().regex(HOST, hostHint('smtp.example.com')).optional(), {
      title: 'SMTP server for replies', placeholder: 'smtp.example.com', group: REPLIES,
      description: 'Lets a person reply to these threads from the Conversations inbox, signed in with the user name and password above', expression: false,
    }),
    /** Default: 587. */
    smtpPort: ui(z.coerce.number().int().min(1).max(65535).default(587), { title: 'SMTP port', group: REPLIES, expression: false }),
    /** Default: 'starttls'. */
    smtpSecurity: ui(z.enum(['starttls', 'tls', 'none']).default('starttls'), { title: 'SMTP security', enumLabels: securityLabels, group: REPLIES, expression: false }),
    /** Default: the user name, when it is an address. */
    replyFrom: ui(z.string().trim().refine((v) => parseAddressList(v).length === 1, 'one address, like "Support <help@example.com>"').optional(), {
      title: 'Reply from', placeholder: 'Support <help@example.com>', description: 'Leave empty to send as the user name', group: REPLIES, expression: false,
    }),
  }),
  replyText: replyByEmail,
  async test(fields, ctx): Promise<CredentialTestResult> {
    try {
      const client = await openImap(imapFields(fields), ctx.http, ctx.signal);
      try {
        const status = await client.status(fields.mailbox || 'INBOX', { messages: true });
        if (!status) return { ok: false, message: `Signed in to ${fields.host}, but the folder "${fields.mailbox || 'INBOX'}" could not be opened.` };
        return { ok: true, message: `Connected to ${fields.host}: ${status.path} holds ${status.messages ?? 0} messages.` };
      } finally {
        await client.logout().catch(() => undefined);
      }
    } catch (error) {
      return { ok: false, message: mailError('IMAP', error).message };
    }
  },
});

/** A stored SMTP credential's fields, typed. */
export function smtpFields(fields: Readonly<Record<string, string>>): SmtpFields {
  return { host: fields.host ?? '', port: Number(fields.port ?? 587), security: mailSecurity(fields.security, 'starttls'), user: fields.user, password: fields.password };
}

/** A stored IMAP credential's fields, typed. */
export function imapFields(fields: Readonly<Record<string, string>>): ImapFields {
  return { host: fields.host ?? '', port: Number(fields.port ?? 993), security: mailSecurity(fields.security, 'tls'), user: fields.user ?? '', password: fields.password ?? '' };
}
