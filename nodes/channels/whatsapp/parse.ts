import type { DeliveryStatus, InboundEvent, InboundMessage, Json, JsonObject, MediaRef } from '@switchyard/sdk';
import { deliveryEntries, type PayloadNode } from '../meta/payload.js';

/** WhatsApp's customer-service window: free-form messages may be sent this long after the contact's last message. */
export const SERVICE_WINDOW_MS = 24 * 3_600_000;

const MEDIA_TYPES = new Set(['image', 'video', 'audio', 'document', 'sticker']);
const STATUSES = new Set<DeliveryStatus>(['sent', 'delivered', 'read', 'failed']);

interface Business {
  phoneNumberId: string;
  displayPhoneNumber: string | null;
}

/** What a message's type-specific object says, normalised. */
interface Content {
  messageType: string;
  text?: string;
  media?: MediaRef[];
  choice?: { id: string; title?: string };
  /** Extra fields for the trigger's output (location, contacts, reaction, order…). */
  extra?: JsonObject;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Splits a `whatsapp_business_account` delivery into events: every `messages[]` item of every
 * change of every entry is a `message` (or `reaction`) event keyed by its wamid; every
 * `statuses[]` item is a `status` event keyed `status:<wamid>:<status>`. Changes for another phone
 * number of the same Meta app (and fields other than `messages`) are left out: this account is one
 * number. Throws InboundPayloadError naming the path of anything malformed.
 */
export function parseWhatsAppDelivery(rawBody: Uint8Array, phoneNumberId: string): InboundEvent[] {
  const events: InboundEvent[] = [];
  for (const entry of deliveryEntries(rawBody, 'whatsapp_business_account')) {
    for (const change of entry.objects('changes', true)) {
      if (change.optionalString('field') !== 'messages') continue;
      const value = change.object('value');
      const metadata = value.object('metadata');
      const business = { phoneNumberId: metadata.string('phone_number_id'), displayPhoneNumber: metadata.optionalString('display_phone_number') ?? null };
      if (phoneNumberId !== '' && business.phoneNumberId !== phoneNumberId) continue;
      const names = new Map<string, string | undefined>();
      for (const contact of value.objects('contacts')) names.set(contact.string('wa_id'), contact.optionalObject('profile')?.optionalString('name'));
      for (const message of value.objects('messages')) events.push(messageEvent(message, names, business));
      for (const status of value.objects('statuses')) {
        const event = statusEvent(status, business);
        if (event) events.push(event);
      }
    }
  }
  return events;
}

function messageEvent(message: PayloadNode, names: Map<string, string | undefined>, business: Business): InboundEvent {
  const id = message.string('id');
  const from = message.string('from');
  const at = message.epochMs('timestamp', 'seconds');
  const type = message.string('type');
  const content = readContent(message, type);
  const name = names.get(from);
  const inbound: InboundMessage = { providerMessageId: id, messageType: content.messageType };
  if (content.text !== undefined) inbound.text = content.text;
  if (content.media) inbound.media = content.media;
  if (content.choice) inbound.choice = content.choice;
  const context = message.optionalObject('context');
  const data: JsonObject = {
    messageId: id,
    from,
    name: name ?? null,
    phoneNumberId: business.phoneNumberId,
    displayPhoneNumber: business.displayPhoneNumber,
    timestamp: iso(at),
    // Free-form replies are allowed until then; after it only templates (Graph error 131047).
    windowClosesAt: iso(at + SERVICE_WINDOW_MS),
    messageType: content.messageType,
    text: content.text ?? null,
    media: content.media ? content.media.map(mediaJson) : null,
    choice: content.choice ? { id: content.choice.id, title: content.choice.title ?? null } : null,
    replyTo: context?.optionalString('id') ?? null,
    ...content.extra,
    raw: message.value,
  };
  return {
    id,
    type: type === 'reaction' ? 'reaction' : 'message',
    contact: name === undefined ? { id: from } : { id: from, name },
    message: inbound,
    at,
    data,
  };
}

function readContent(message: PayloadNode, type: string): Content {
  if (type === 'text') return { messageType: 'text', text: message.object('text').string('body') };
  if (MEDIA_TYPES.has(type)) {
    const media = message.object(type);
    const caption = media.optionalString('caption');
    const ref: MediaRef = { kind: type, id: media.string('id') };
    const mimeType = media.optionalString('mime_type');
    const fileName = media.optionalString('filename');
    const url = media.optionalString('url');
    if (mimeType !== undefined) ref.mimeType = mimeType;
    if (caption !== undefined) ref.caption = caption;
    if (fileName !== undefined) ref.fileName = fileName;
    if (url !== undefined) ref.url = url;
    return { messageType: type, text: caption, media: [ref] };
  }
  switch (type) {
    case 'location': {
      const location = message.object('location');
      const point = (key: string): Json => {
        const value = location.get(key);
        return typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : null;
      };
      return {
        messageType: 'location',
        extra: { location: { latitude: point('latitude'), longitude: point('longitude'), name: location.optionalString('name') ?? null, address: location.optionalString('address') ?? null } },
      };
    }
    case 'contacts':
      message.objects('contacts', true);
      return { messageType: 'contacts', extra: { contacts: message.get('contacts') ?? [] } };
    case 'interactive': {
      const interactive = message.object('interactive');
      const kind = interactive.string('type');
      if (kind === 'button_reply' || kind === 'list_reply') {
        const reply = interactive.object(kind);
        const title = reply.optionalString('title');
        return {
          messageType: 'interactive', text: title,
          choice: { id: reply.string('id'), ...(title !== undefined ? { title } : {}) },
          extra: { interactiveType: kind, description: reply.optionalString('description') ?? null },
        };
      }
      const flow = interactive.optionalObject('nfm_reply');
      return { messageType: 'interactive', text: flow?.optionalString('body'), extra: { interactiveType: kind } };
    }
    case 'button': {
      // A quick-reply button of a template message.
      const button = message.object('button');
      const text = button.optionalString('text');
      const payload = button.optionalString('payload') ?? text;
      return { messageType: 'button', text, ...(payload !== undefined ? { choice: { id: payload, ...(text !== undefined ? { title: text } : {}) } } : {}) };
    }
    case 'reaction': {
      const reaction = message.object('reaction');
      // No emoji: the contact removed their reaction.
      const emoji = reaction.optionalString('emoji');
      return { messageType: 'reaction', text: emoji, extra: { reaction: { messageId: reaction.string('message_id'), emoji: emoji ?? null } } };
    }
    case 'order': {
      const order = message.object('order');
      return { messageType: 'order', text: order.optionalString('text'), extra: { order: order.value } };
    }
    case 'system': {
      const system = message.object('system');
      return { messageType: 'system', text: system.optionalString('body'), extra: { system: system.value } };
    }
    default:
      // `unsupported`, `unknown`, and whatever type Meta adds next: passed on, never dropped.
      return { messageType: 'unknown', extra: { originalType: type, errors: message.get('errors') ?? null } };
  }
}

function statusEvent(status: PayloadNode, business: Business): InboundEvent | undefined {
  const messageId = status.string('id');
  const value = status.string('status');
  // A status Meta adds later (e.g. `deleted`) has no place in a delivery timeline yet: skipped, not refused.
  if (!STATUSES.has(value as DeliveryStatus)) return undefined;
  const state = value as DeliveryStatus;
  const at = status.epochMs('timestamp', 'seconds');
  const recipient = status.string('recipient_id');
  const first = status.objects('errors')[0];
  const error = first ? { code: first.optionalString('code'), message: first.optionalString('title') ?? first.optionalString('message') ?? 'failed' } : undefined;
  return {
    id: `status:${messageId}:${state}`,
    type: 'status',
    contact: { id: recipient },
    status: { providerMessageId: messageId, status: state, at, ...(error ? { error } : {}) },
    at,
    data: {
      messageId,
      deliveryStatus: state,
      recipientId: recipient,
      phoneNumberId: business.phoneNumberId,
      timestamp: iso(at),
      error: error ? { code: error.code ?? null, message: error.message } : null,
      conversation: status.get('conversation') ?? null,
      pricing: status.get('pricing') ?? null,
      raw: status.value,
    },
  };
}

function mediaJson(media: MediaRef): JsonObject {
  return Object.fromEntries(Object.entries(media).filter(([, value]) => value !== undefined)) as JsonObject;
}
