import { createHash } from 'node:crypto';
import type { ChannelCapabilities, EmailContent, MediaRef } from '@switchyard/sdk';
import type { MailAddress } from '../addresses.js';

/**
 * The chat simulator's side of "Send email" (decision 042). The simulator plays a sender of an IMAP
 * mailbox; a flow answers it through an SMTP account, a different credential, so the node asks which
 * of its recipients are simulated and on which account (`ctx.channels.simulatedAccounts`). Mail to
 * them is recorded in that account's conversation, where the simulator shows it, and never reaches
 * the SMTP server; the other recipients get the mail as usual (as other channels' sends to a real
 * contact in a simulated run do).
 */

/** Recipient address (lower case) → the account whose simulator plays it; empty where none is simulated. */
export async function simulatedRecipients(channels: ChannelCapabilities | undefined, recipients: MailAddress[]): Promise<Map<string, string>> {
  if (!channels?.simulatedAccounts || recipients.length === 0) return new Map();
  return channels.simulatedAccounts(recipients.map((r) => r.address.toLowerCase()));
}

/** A simulated recipient's message id: the same for a repeat of the step, so its record is not doubled. */
export function simulatedMessageIdFor(messageId: string, address: string): string {
  return `sim-${createHash('sha256').update(`${messageId}\0${address}`).digest('hex').slice(0, 32)}`;
}

/** What the conversation store keeps of a sent email (text: subject and body, as history reads it). */
export interface EmailRecord {
  text: string;
  email: EmailContent;
  media?: MediaRef[];
}

/** The conversation record of an email with these parts and attachments. */
export function emailRecord(subject: string, text: string, html: string, attachments: { filename: string; contentType?: string }[]): EmailRecord {
  return {
    text: subject ? `${subject}\n\n${text}`.trim() : text,
    email: { subject, text, ...(html !== '' ? { html } : {}) },
    ...(attachments.length > 0 ? { media: attachments.map((a) => ({ kind: 'document', fileName: a.filename, ...(a.contentType ? { mimeType: a.contentType } : {}) })) } : {}),
  };
}
