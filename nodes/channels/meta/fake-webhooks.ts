import { createHmac, randomBytes } from 'node:crypto';
import type { JsonObject } from '@switchyard/sdk';

/**
 * Builders for the webhook deliveries Meta POSTs to a callback URL, serialised and signed the way
 * Meta does it — for tests, e2e and the benchmark. Shapes follow Meta's webhook references for the
 * WhatsApp Cloud API (`whatsapp_business_account`) and the Messenger API for Instagram (`instagram`).
 */

/**
 * JSON as Meta sends it: every non-ASCII character escaped as `\uXXXX` (an emoji as its surrogate
 * pair) and `/` as `\/`. The signature is over these bytes, so a receiver that re-serialises the
 * parsed body before checking it would fail.
 */
export function metaJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** The `X-Hub-Signature-256` value for `body`: `sha256=<hex HMAC-SHA256 keyed with the app secret>`. */
export function signMetaBody(body: string | Uint8Array, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/**
 * POSTs `body` to `callbackUrl` with Meta's headers (both signature headers, Meta's user agent).
 * `signature: null` leaves the signature out; a string sends it instead of the right one.
 */
export async function postMetaDelivery(
  callbackUrl: string,
  body: string,
  appSecret: string,
  options: { signature?: string | null } = {},
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'facebookexternalua',
    'x-hub-signature': `sha1=${createHmac('sha1', appSecret).update(body).digest('hex')}`,
  };
  const signature = options.signature === undefined ? signMetaBody(body, appSecret) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  const response = await fetch(callbackUrl, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

/** Meta's subscription check against a callback URL, as the App Dashboard's "Verify and save" sends it. */
export async function verifyMetaCallback(callbackUrl: string, verifyToken: string, challenge: string): Promise<{ status: number; text: string; contentType: string | null }> {
  const url = new URL(callbackUrl);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.verify_token', verifyToken);
  url.searchParams.set('hub.challenge', challenge);
  const response = await fetch(url, { headers: { 'user-agent': 'facebookplatform/1.0' } });
  return { status: response.status, text: await response.text(), contentType: response.headers.get('content-type') };
}

const seconds = (ms: number) => String(Math.floor(ms / 1000));
export const newWamid = () => `wamid.HBgL${randomBytes(24).toString('base64url')}`;

/** The WhatsApp business number a delivery is for. */
export interface WhatsAppBusiness {
  wabaId: string;
  phoneNumberId: string;
  displayPhoneNumber: string;
}

/** One `changes[].value` of a `messages` field: contacts, messages and statuses, any of them. */
export interface WhatsAppChange {
  contacts?: { waId: string; name: string }[];
  messages?: JsonObject[];
  statuses?: JsonObject[];
}

/** A WhatsApp message item (`value.messages[]`) of `type` with its content object, e.g. `('image', { id, mime_type })`. */
export function waMessage(from: string, type: string, content: JsonObject | undefined, options: { id?: string; at?: number; context?: { from: string; id: string } } = {}): JsonObject {
  const message: JsonObject = { from, id: options.id ?? newWamid(), timestamp: seconds(options.at ?? Date.now()), type };
  if (content !== undefined) message[type] = content;
  if (options.context) message.context = options.context;
  return message;
}

export function waText(from: string, text: string, options: { id?: string; at?: number } = {}): JsonObject {
  return waMessage(from, 'text', { body: text }, options);
}

/** A reply-button answer (`interactive.button_reply`). */
export function waButtonReply(from: string, button: { id: string; title: string }, options: { id?: string; at?: number; context?: { from: string; id: string } } = {}): JsonObject {
  return waMessage(from, 'interactive', { type: 'button_reply', button_reply: button }, options);
}

/** A status item (`value.statuses[]`) for an outbound message; `failed` carries an error like Meta's. */
export function waStatus(messageId: string, recipient: string, status: 'sent' | 'delivered' | 'read' | 'failed', options: { at?: number; error?: { code: number; title: string } } = {}): JsonObject {
  const item: JsonObject = { id: messageId, status, timestamp: seconds(options.at ?? Date.now()), recipient_id: recipient };
  if (status !== 'failed' && status !== 'read') {
    item.conversation = { id: randomBytes(16).toString('hex'), origin: { type: 'service' } };
    item.pricing = { billable: true, pricing_model: 'CBP', category: 'service' };
  }
  if (options.error) item.errors = [{ code: options.error.code, title: options.error.title, message: options.error.title, error_data: { details: options.error.title } }];
  return item;
}

/**
 * A `whatsapp_business_account` delivery: one entry per element of `entries`, each with one
 * `messages` change per {@link WhatsAppChange} — Meta batches several of both under load.
 */
export function whatsappDelivery(business: WhatsAppBusiness, entries: WhatsAppChange[][]): JsonObject {
  return {
    object: 'whatsapp_business_account',
    entry: entries.map((changes) => ({
      id: business.wabaId,
      changes: changes.map((change) => {
        const value: JsonObject = {
          messaging_product: 'whatsapp',
          metadata: { display_phone_number: business.displayPhoneNumber, phone_number_id: business.phoneNumberId },
        };
        if (change.contacts) value.contacts = change.contacts.map((c) => ({ profile: { name: c.name }, wa_id: c.waId }));
        if (change.messages) value.messages = change.messages;
        if (change.statuses) value.statuses = change.statuses;
        return { value, field: 'messages' };
      }),
    })),
  };
}

/** The common case: text messages from contacts, in one entry and one change. */
export function whatsappTexts(business: WhatsAppBusiness, messages: { from: string; name: string; text: string; id?: string }[]): JsonObject {
  const contacts = [...new Map(messages.map((m) => [m.from, { waId: m.from, name: m.name }])).values()];
  return whatsappDelivery(business, [[{ contacts, messages: messages.map((m) => waText(m.from, m.text, { id: m.id })) }]]);
}

export const newMid = () => `aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOj${randomBytes(18).toString('base64url')}`;

/** An Instagram `messaging[]` item from `sender` (IGSID) to the account, with one of message/postback/reaction/read. */
export function igMessaging(sender: string, account: string, event: JsonObject, at = Date.now()): JsonObject {
  return { sender: { id: sender }, recipient: { id: account }, timestamp: at, ...event };
}

export function igText(sender: string, account: string, text: string, options: { mid?: string; at?: number; quickReply?: string } = {}): JsonObject {
  const message: JsonObject = { mid: options.mid ?? newMid(), text };
  if (options.quickReply !== undefined) message.quick_reply = { payload: options.quickReply };
  return igMessaging(sender, account, { message }, options.at);
}

/** A comment webhook change (`field: 'comments'`). */
export function igComment(comment: { id: string; text: string; from: { id: string; username: string }; mediaId: string; parentId?: string }): JsonObject {
  const value: JsonObject = {
    from: comment.from, media: { id: comment.mediaId, media_product_type: 'FEED' }, id: comment.id, text: comment.text,
  };
  if (comment.parentId !== undefined) value.parent_id = comment.parentId;
  return { field: 'comments', value };
}

/** An `instagram` delivery: one entry per element of `entries`, each with its `messaging` items and/or `changes`. */
export function instagramDelivery(account: string, entries: { messaging?: JsonObject[]; changes?: JsonObject[] }[], at = Date.now()): JsonObject {
  return {
    object: 'instagram',
    entry: entries.map((entry) => ({ time: at, id: account, ...(entry.messaging ? { messaging: entry.messaging } : {}), ...(entry.changes ? { changes: entry.changes } : {}) })),
  };
}
