import { isJsonObject, type InboundEvent, type InboundMessage, type Json, type MediaRef } from '@switchyard/sdk';

/**
 * What a channel trigger emits (and what a send-and-wait resumes with): the provider's normalised
 * fields from `event.data`, plus `eventId`, `eventType`, `accountId` (the credential id) and the
 * conversation-facing `contact`, `message` and `status` (null when the event has none).
 */
export function triggerInput(event: InboundEvent, credentialId: string): Json {
  const data = isJsonObject(event.data) ? event.data : { data: event.data };
  return {
    ...data,
    eventId: event.id,
    eventType: event.type,
    accountId: credentialId,
    contact: event.contact ? compact({ id: event.contact.id, name: event.contact.name }) : null,
    message: event.message ? messageJson(event.message) : null,
    status: event.status ? compact({
      providerMessageId: event.status.providerMessageId, status: event.status.status, at: event.status.at,
      error: event.status.error ? compact({ code: event.status.error.code, message: event.status.error.message }) : undefined,
    }) : null,
  };
}

function messageJson(message: InboundMessage): Json {
  return compact({
    providerMessageId: message.providerMessageId,
    messageType: message.messageType,
    text: message.text,
    media: message.media?.map(mediaJson),
    choice: message.choice ? compact({ id: message.choice.id, title: message.choice.title }) : undefined,
  });
}

export function mediaJson(media: MediaRef): Json {
  return compact({ kind: media.kind, id: media.id, url: media.url, mimeType: media.mimeType, caption: media.caption, fileName: media.fileName });
}

/** An object without its undefined fields (they would not survive JSON anyway). */
function compact(fields: Record<string, Json | undefined>): Json {
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) out[key] = value;
  return out;
}
