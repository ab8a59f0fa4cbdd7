import type { MessageEnvelopeObject } from 'imapflow';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { InboundEvent, Json, MediaRef } from '@switchyard/sdk';

/** One mailbox of a parsed address header. */
type Mailbox = { name: string; address: string };

function mailboxes(value: AddressObject | AddressObject[] | undefined): Mailbox[] {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return objects.flatMap((o) => o.value).flatMap(function flat(a): Mailbox[] {
    return a.group ? a.group.flatMap(flat) : a.address ? [{ name: a.name, address: a.address.toLowerCase() }] : [];
  });
}

/** Where a message sits: the event id is `<mailbox>:<uidvalidity>:<uid>`, unique for as long as the mailbox lives. */
export interface MessagePlace { mailbox: string; uidValidity: number; uid: number; flags: string[] }

/** An attachment as the trigger emits it: its bytes as base64 when within the size limit. */
type EmittedAttachment = { filename: string | null; contentType: string; size: number; contentId: string | null; contentBase64: string | null; skipped: string | null };

/**
 * A parsed email as a message event. `message.text` is the subject and the text body (what a
 * keyword filter and the inbox read); attachments over `maxAttachmentBytes` are listed without
 * their content.
 */
export function emailEvent(mail: ParsedMail, place: MessagePlace, maxAttachmentBytes: number): InboundEvent {
  const id = `${place.mailbox}:${place.uidValidity}:${place.uid}`;
  const from = mailboxes(mail.from)[0];
  const attachments: EmittedAttachment[] = mail.attachments.map((a) => ({
    filename: a.filename ?? null,
    contentType: a.contentType,
    size: a.size,
    contentId: a.contentId ?? null,
    contentBase64: a.size <= maxAttachmentBytes ? a.content.toString('base64') : null,
    skipped: a.size <= maxAttachmentBytes ? null : `over the ${maxAttachmentBytes}-byte attachment limit`,
  }));
  const subject = mail.subject ?? '';
  const text = mail.text ?? '';
  const media: MediaRef[] = attachments.map((a) => ({ kind: 'document', ...(a.filename ? { fileName: a.filename } : {}), mimeType: a.contentType }));
  const references = mail.references === undefined ? [] : Array.isArray(mail.references) ? mail.references : [mail.references];
  const data: Json = {
    mailbox: place.mailbox,
    uid: place.uid,
    uidValidity: place.uidValidity,
    messageId: mail.messageId ?? null,
    inReplyTo: mail.inReplyTo ?? null,
    references,
    date: mail.date ? mail.date.toISOString() : null,
    from: from ?? null,
    to: mailboxes(mail.to),
    cc: mailboxes(mail.cc),
    replyTo: mailboxes(mail.replyTo),
    subject,
    text,
    html: mail.html || null,
    attachments,
    flags: place.flags,
  };
  return {
    id,
    type: 'message',
    ...(from ? { contact: { id: from.address, ...(from.name ? { name: from.name } : {}) } } : {}),
    message: {
      providerMessageId: mail.messageId ?? id,
      messageType: 'email',
      text: subject && text ? `${subject}\n\n${text}` : subject || text,
      ...(media.length > 0 ? { media } : {}),
      // The inbox and the chat simulator show a mail as one (decision 042); the HTML stays in `data` only.
      email: { subject, text },
    },
    ...(mail.date ? { at: mail.date.getTime() } : {}),
    data,
  };
}

/** A message too large to download: an event from its envelope alone, saying so. */
export function oversizeEvent(place: MessagePlace, size: number, envelope: MessageEnvelopeObject | undefined, limit: number): InboundEvent {
  const id = `${place.mailbox}:${place.uidValidity}:${place.uid}`;
  const sender = envelope?.from?.[0];
  const address = sender?.address?.toLowerCase();
  return {
    id,
    type: 'message',
    ...(address ? { contact: { id: address, ...(sender?.name ? { name: sender.name } : {}) } } : {}),
    message: { providerMessageId: envelope?.messageId ?? id, messageType: 'email', text: envelope?.subject ?? '' },
    data: {
      mailbox: place.mailbox, uid: place.uid, uidValidity: place.uidValidity, messageId: envelope?.messageId ?? null,
      date: envelope?.date ? new Date(envelope.date).toISOString() : null, from: address ? { name: sender?.name ?? '', address } : null,
      subject: envelope?.subject ?? '', text: null, html: null, attachments: [], flags: place.flags,
      truncated: `the message is ${size} bytes, over the ${limit}-byte limit: only its envelope was read`,
    },
  };
}

/** Parses a message's raw bytes (no link or HTML conversions: the flow gets what was sent). */
export function parseMail(source: Buffer): Promise<ParsedMail> {
  return simpleParser(source, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
}
