import { isJsonObject, NonRetryableError, type Json, type JsonObject, type MediaRef, type NodeContext } from '@switchyard/sdk';
import { toE164 } from '../_shared/phone.js';
import { isSimulatedContact, simulatedMessageId } from '../_shared/simulated.js';
import { callGraph, graphBody, graphFailure, graphStepError, type GraphFailure } from '../meta/graph.js';
import type { WhatsAppAccount } from './credential.js';
import { SIMULATED_WAMID_PREFIX } from './simulator.js';

/** Cloud API throughput per business number (Meta's default is 80 messages/s). */
export const MESSAGES_PER_SECOND = 80;
const PROVIDER = 'WhatsApp';
/** The Cloud API's limit on a text message body. */
export const TEXT_LIMIT = 4096;

/** What a send node needs of its context. */
export type SendContext = Pick<NodeContext, 'http' | 'signal' | 'channels'>;

/** What goes in the conversation store beside the provider's id. */
export interface OutboundRecord {
  messageType: string;
  text?: string;
  media?: MediaRef[];
  choices?: { id: string; title: string }[];
}

/** A message the Cloud API accepted. */
export interface SentMessage {
  messageId: string;
  /** The recipient's WhatsApp ID (digits), the conversation's contact id. */
  waId: string;
  /** The number as sent, in E.164. */
  to: string;
}

/** What to do about the Graph errors a sender can act on. */
const HINTS: Record<number, { hint: string; code: string }> = {
  131047: { code: 'outside_window', hint: 'more than 24 hours have passed since the contact last wrote, so WhatsApp only accepts a template message now: use "WhatsApp: send template" until they write again' },
  131026: { code: 'undeliverable', hint: 'WhatsApp could not deliver to this number: it may not be on WhatsApp, or its owner has not accepted the current terms or uses an outdated app' },
  131030: { code: 'recipient_not_allowed', hint: 'a test number can only send to the recipients added in WhatsApp → API Setup' },
  132001: { code: 'template_not_found', hint: 'no approved template has this name in this language; check both in WhatsApp Manager' },
  131051: { code: 'unsupported_message', hint: 'WhatsApp does not support this message type' },
  131052: { code: 'media_download_failed', hint: 'WhatsApp could not download the media: the URL must be public and answer with the file' },
  131053: { code: 'media_upload_failed', hint: 'WhatsApp could not use the media: check its type and size' },
};

/** The Graph failure as a step error with what to do about it. */
export function whatsappError(failure: GraphFailure): Error {
  const known = failure.code !== undefined ? HINTS[failure.code] : undefined;
  return graphStepError(PROVIDER, failure, known?.hint, known?.code);
}

/**
 * The recipient in E.164: `to`, or when empty the contact of the incoming message (a channel
 * trigger's `contact.id`). Digits alone are read as WhatsApp does, as an international number
 * (a wa_id), unless a default country makes them a valid national number.
 */
export function recipient(to: string | undefined, input: Json, defaultCountry?: string): string {
  let value = to?.trim() ?? '';
  if (value === '') {
    const contact = isJsonObject(input) && isJsonObject(input.contact) ? input.contact.id : undefined;
    if (typeof contact !== 'string' || contact === '') {
      throw new NonRetryableError('to: no number given and the incoming message has no contact.id to reply to', { code: 'invalid_phone' });
    }
    value = contact;
  }
  const international = /^[1-9]\d{6,14}$/.test(value) ? `+${value}` : undefined;
  if (international && defaultCountry) {
    try {
      return toE164(value, 'to', defaultCountry);
    } catch {
      return toE164(international, 'to');
    }
  }
  return toE164(international ?? value, 'to', defaultCountry);
}

/**
 * Sends one message (`content` is the type and its object, e.g. `{ type: 'text', text: { body } }`)
 * from the account's number: waits for a slot of the number's shared rate limit, waits out short
 * throttling, turns Graph errors into step errors, and records the accepted message in the
 * contact's conversation.
 */
export async function sendMessage(
  ctx: SendContext,
  account: WhatsAppAccount,
  to: string,
  content: JsonObject,
  record: OutboundRecord,
): Promise<SentMessage> {
  const body = await postMessages(ctx, account, { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...content });
  const { messageId, waId } = acceptedMessage(body, to);
  await ctx.channels?.recordOutbound({ credentialId: account.credentialId, contactId: waId, providerMessageId: messageId, ...record });
  return { messageId, waId, to };
}

/** The wamid and recipient wa_id of a send Graph accepted (`{ contacts: [{ wa_id }], messages: [{ id }] }`). */
export function acceptedMessage(body: JsonObject, to: string): { messageId: string; waId: string } {
  const contact = Array.isArray(body.contacts) ? body.contacts[0] : undefined;
  const first = Array.isArray(body.messages) ? body.messages[0] : undefined;
  const messageId = isJsonObject(first) && typeof first.id === 'string' ? first.id : undefined;
  if (!messageId) throw new NonRetryableError('WhatsApp accepted the message but its answer has no message id', { code: 'provider_bad_answer' });
  const waId = isJsonObject(contact) && typeof contact.wa_id === 'string' ? contact.wa_id : to.replace(/^\+/, '');
  return { messageId, waId };
}

/** POSTs to `/{phone-number-id}/messages` (sends and read receipts) and returns Graph's answer. */
export async function postMessages(ctx: SendContext, account: WhatsAppAccount, payload: JsonObject): Promise<JsonObject> {
  const simulated = await simulatedAnswer(ctx, account, payload);
  if (simulated) return simulated;
  await ctx.channels?.acquire(`whatsapp:${account.phoneNumberId}`, MESSAGES_PER_SECOND, ctx.signal);
  const response = await callGraph(ctx.http, account.target, { method: 'POST', path: `${account.phoneNumberId}/messages`, body: payload, signal: ctx.signal });
  const failure = graphFailure(response);
  if (failure) throw whatsappError(failure);
  return graphBody(response, PROVIDER);
}

/**
 * The chat simulator's contact (decision 031): Graph is not called, and the answer is what Graph
 * gives a send (`contacts[].wa_id`, `messages[].id`) or a read receipt (`success`).
 */
async function simulatedAnswer(ctx: SendContext, account: WhatsAppAccount, payload: JsonObject): Promise<JsonObject | undefined> {
  if (typeof payload.message_id === 'string' && payload.message_id.startsWith(SIMULATED_WAMID_PREFIX)) return { success: true };
  if (typeof payload.to !== 'string') return undefined;
  const waId = payload.to.replace(/^\+/, '');
  if (!(await isSimulatedContact(ctx.channels, account.credentialId, waId))) return undefined;
  return { messaging_product: 'whatsapp', contacts: [{ input: payload.to, wa_id: waId }], messages: [{ id: simulatedMessageId('wamid.') }] };
}
