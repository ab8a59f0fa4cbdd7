import { createHash } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import type { InboundAccount, InboundEvent, SimulatedMessage } from '@switchyard/sdk';
import { emailEvent, parseMail } from './parse.js';

/**
 * The domain of simulated senders: `.invalid` is reserved (RFC 2606) and never resolves, so a
 * simulated address is nobody's and no SMTP server could deliver to it.
 */
export const SIMULATED_DOMAIN = 'simulator.invalid';

/**
 * A real UIDVALIDITY is a non-zero 32-bit number and a real UID fits in 32 bits (RFC 3501): a
 * simulated mail is `<folder>:0:<serial>` with a serial from 2^52 up, an id no real mail has.
 */
const SIMULATED_UID_VALIDITY = 0;

/** What the simulator needs of the trigger's props. */
export interface SimulatedMailOptions {
  mailbox?: string;
  maxAttachmentBytes: number;
}

/** A simulated sender's address (lower case, as the trigger emits senders). */
export function simulatedAddress(serial: number): string {
  return `sim-${serial.toString(36)}@${SIMULATED_DOMAIN}`;
}

/**
 * The chat simulator's mail (decision 042): what the person typed, composed into the bytes a mail
 * server would store (nodemailer's composer) and read back by the trigger's own parser, so the flow
 * gets exactly what a polled mail gives it. The Message-ID comes from the editor's message id, so a
 * message sent again is the same event and the gateway's dedupe drops it.
 */
export async function simulatedMail(account: InboundAccount, options: SimulatedMailOptions, message: SimulatedMessage): Promise<InboundEvent> {
  const mailbox = options.mailbox || account.fields.mailbox || 'INBOX';
  const user = account.fields.user ?? '';
  const digest = createHash('sha256').update(message.id).digest('hex').slice(0, 32);
  const source = await new MailComposer({
    from: { name: message.contact.name, address: message.contact.id },
    to: user.includes('@') ? user : `mailbox@${SIMULATED_DOMAIN}`,
    subject: message.subject ?? '',
    text: message.text ?? message.choice?.title ?? '',
    date: new Date(message.at),
    messageId: `<${digest}@${SIMULATED_DOMAIN}>`,
  }).compile().build();
  return emailEvent(await parseMail(source), { mailbox, uidValidity: SIMULATED_UID_VALIDITY, uid: message.serial, flags: [] }, options.maxAttachmentBytes);
}
