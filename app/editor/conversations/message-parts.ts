import type { ConversationMessageRecord } from '../../../runtime/services/types.js';

/** A media attachment as the inbox shows it (the store keeps references, never bytes). */
export interface MediaView {
  kind: string;
  /** Only http(s): a stored URL comes from a provider or a contact, so nothing else becomes a link. */
  url?: string;
  caption?: string;
  fileName?: string;
  mimeType?: string;
}

/** A button or list row: offered by an outbound message, or chosen by the contact in an inbound one. */
export interface ChoiceView {
  id: string;
  title: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function webUrl(value: unknown): string | undefined {
  const raw = text(value);
  if (!raw) return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/** The message's attachments; entries that are not media references are left out. */
export function mediaOf(message: Pick<ConversationMessageRecord, 'media'>): MediaView[] {
  if (!Array.isArray(message.media)) return [];
  const items: unknown[] = message.media;
  return items.filter(isRecord).map((m) => {
    const view: MediaView = { kind: text(m.kind) ?? 'file' };
    const url = webUrl(m.url);
    if (url) view.url = url;
    for (const key of ['caption', 'fileName', 'mimeType'] as const) {
      const value = text(m[key]);
      if (value) view[key] = value;
    }
    return view;
  });
}

/** The message's buttons or chosen row; a choice without a title shows its id. */
export function choicesOf(message: Pick<ConversationMessageRecord, 'choices'>): ChoiceView[] {
  if (!Array.isArray(message.choices)) return [];
  const items: unknown[] = message.choices;
  return items.filter(isRecord).flatMap((c) => {
    const id = text(c.id) ?? (typeof c.id === 'number' ? String(c.id) : undefined);
    if (!id) return [];
    return [{ id, title: text(c.title) ?? id }];
  });
}

/** An email's parts as the inbox and the chat simulator show them (decision 042). */
export interface EmailView {
  subject: string;
  text: string;
  /** Shown only inside a sandboxed frame ({@link emailDocument}), never in the editor's own page. */
  html?: string;
}

/** The message's email parts, or undefined when it is not an email (or they are malformed). */
export function emailOf(message: Pick<ConversationMessageRecord, 'email'>): EmailView | undefined {
  const email: unknown = message.email;
  if (!isRecord(email) || typeof email.subject !== 'string') return undefined;
  const view: EmailView = { subject: email.subject, text: typeof email.text === 'string' ? email.text : '' };
  if (typeof email.html === 'string' && email.html.trim() !== '') view.html = email.html;
  return view;
}

/**
 * What a mail's HTML may load in its frame: nothing but inline styles and data: images — no scripts
 * (the frame's sandbox forbids them too), no remote images (tracking pixels), fonts, frames or forms.
 */
export const EMAIL_HTML_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; font-src data:";

/** The document a sandboxed frame shows for a mail's HTML: the policy first, so it governs all of it. */
export function emailDocument(html: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${EMAIL_HTML_POLICY}"></head><body>${html}</body></html>`;
}

/** A delivery error (`{ code?, message }`) in one line, or undefined. */
export function errorOf(message: Pick<ConversationMessageRecord, 'error'>): string | undefined {
  const error = message.error;
  if (typeof error === 'string') return error || undefined;
  if (!isRecord(error)) return undefined;
  const words = text(error.message);
  const code = text(error.code) ?? (typeof error.code === 'number' ? String(error.code) : undefined);
  if (words && code) return `${words} (${code})`;
  return words ?? code;
}

const STATUS_WORDS: Record<string, string> = {
  received: 'Received', queued: 'Queued', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Failed',
};

/** A delivery status in words, and the badge colour the page's styles give it. */
export function deliveryStatus(status: string): { label: string; tone: 'queued' | 'running' | 'succeeded' | 'failed' } {
  const label = STATUS_WORDS[status] ?? status;
  if (status === 'failed') return { label, tone: 'failed' };
  if (status === 'delivered' || status === 'read') return { label, tone: 'succeeded' };
  if (status === 'queued') return { label, tone: 'queued' };
  return { label, tone: 'running' };
}

/** What a thread is called in the list: the contact's name, else the provider's id for them. */
export function contactLabel(contact: { id: string; name: string | null }): string {
  return contact.name?.trim() || contact.id;
}

/** The last message in one line for the list ("You: …" for outbound), or what kind of message it was. */
export function previewOf(message: ConversationMessageRecord | null): string {
  if (!message) return '';
  const media = mediaOf(message);
  const body = message.text?.trim() || media[0]?.caption || (media[0] ? `[${media[0].kind}]` : `[${message.messageType}]`);
  return message.direction === 'out' ? `You: ${body}` : body;
}
