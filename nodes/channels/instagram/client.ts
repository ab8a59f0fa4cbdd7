import { isJsonObject, NonRetryableError, type Json, type JsonObject, type MediaRef, type NodeContext } from '@switchyard/sdk';
import { isSimulatedContact, simulatedMessageId } from '../_shared/simulated.js';
import { callGraph, graphBody, graphFailure, graphStepError, type GraphCall, type GraphFailure } from '../meta/graph.js';
import type { InstagramAccount } from './credential.js';

const PROVIDER = 'Instagram';
/** Send API limits per Instagram account: text, links, reactions and stickers; audio and video. */
export const SENDS_PER_SECOND = 100;
export const AUDIO_VIDEO_PER_SECOND = 10;

export type InstagramContext = Pick<NodeContext, 'http' | 'signal' | 'channels'>;

/** What goes in the conversation store beside the provider's id. */
export interface OutboundRecord {
  messageType: string;
  text?: string;
  media?: MediaRef[];
  choices?: { id: string; title: string }[];
}

/** Graph errors a sender can act on, told apart by code and subcode. */
function hintFor(failure: GraphFailure): { hint: string; code: string } | undefined {
  if (failure.code === 10 && (failure.subcode === 2534022 || failure.subcode === undefined)) {
    return { code: 'outside_window', hint: 'Instagram accepts messages only within 24 hours of the person\'s last message; wait until they write again' };
  }
  if (failure.code === 551) return { code: 'recipient_unavailable', hint: 'this person cannot receive messages from the account (they may have blocked it or restricted messages)' };
  if (failure.code === 100 && failure.subcode === 2018001) return { code: 'recipient_not_found', hint: 'no person with this Instagram-scoped ID has a conversation with the account' };
  if (failure.code === 100 && failure.subcode === 2018047) return { code: 'text_too_long', hint: 'Instagram allows 1000 characters per message' };
  return undefined;
}

/** The Graph failure as a step error with what to do about it. */
export function instagramError(failure: GraphFailure): Error {
  const known = hintFor(failure);
  return graphStepError(PROVIDER, failure, known?.hint, known?.code);
}

/** A Graph call for the account: rate-limited per account, failures as step errors, the answer's object. */
export async function instagramCall(ctx: InstagramContext, account: InstagramAccount, call: Omit<GraphCall, 'signal'>, perSecond = SENDS_PER_SECOND): Promise<JsonObject> {
  await ctx.channels?.acquire(`instagram:${account.igAccountId}`, perSecond, ctx.signal);
  const response = await callGraph(ctx.http, account.target, { ...call, signal: ctx.signal });
  const failure = graphFailure(response);
  if (failure) throw instagramError(failure);
  return graphBody(response, PROVIDER);
}

/** The person a DM goes to: `{ id: <IGSID> }`, or a commenter through `{ comment_id }` (a private reply). */
export type Recipient = { id: string } | { comment_id: string };

/**
 * Sends one message through the Send API (`POST /me/messages`) and records it in the contact's
 * conversation. A person who cannot receive messages (error 551) is marked as such there.
 */
export async function sendDirect(ctx: InstagramContext, account: InstagramAccount, recipient: Recipient, message: JsonObject, record: OutboundRecord): Promise<{ messageId: string; recipientId: string }> {
  // The chat simulator's contact (decision 031): the Send API is not called; the message is recorded as sent.
  if ('id' in recipient && await isSimulatedContact(ctx.channels, account.credentialId, recipient.id)) {
    const messageId = simulatedMessageId();
    await ctx.channels?.recordOutbound({ credentialId: account.credentialId, contactId: recipient.id, providerMessageId: messageId, ...record });
    return { messageId, recipientId: recipient.id };
  }
  const audioVideo = isJsonObject(message.attachment) && (message.attachment.type === 'audio' || message.attachment.type === 'video');
  if (audioVideo) await ctx.channels?.acquire(`instagram:${account.igAccountId}:audio-video`, AUDIO_VIDEO_PER_SECOND, ctx.signal);
  let body: JsonObject;
  try {
    body = await instagramCall(ctx, account, { method: 'POST', path: 'me/messages', body: { recipient, message } });
  } catch (error) {
    if ('id' in recipient && error instanceof NonRetryableError && error.code === 'recipient_unavailable') await ctx.channels?.markBlocked(account.credentialId, recipient.id);
    throw error;
  }
  const messageId = typeof body.message_id === 'string' ? body.message_id : undefined;
  if (!messageId) throw new NonRetryableError('Instagram accepted the message but its answer has no message_id', { code: 'provider_bad_answer' });
  const recipientId = typeof body.recipient_id === 'string' && body.recipient_id !== '' ? body.recipient_id : 'id' in recipient ? recipient.id : '';
  if (recipientId !== '') await ctx.channels?.recordOutbound({ credentialId: account.credentialId, contactId: recipientId, providerMessageId: messageId, ...record });
  return { messageId, recipientId };
}

/** `value`, or the incoming message's contact (a trigger's `contact.id`), or a step error naming the field. */
export function recipientId(value: string | undefined, input: Json, field = 'recipient'): string {
  const given = value?.trim() ?? '';
  if (given !== '') {
    if (!/^\d{5,30}$/.test(given)) throw new NonRetryableError(`${field}: "${given.slice(0, 60)}" is not an Instagram-scoped ID (digits, from a trigger's contact.id)`, { code: 'invalid_recipient' });
    return given;
  }
  const contact = isJsonObject(input) && isJsonObject(input.contact) ? input.contact.id : undefined;
  if (typeof contact === 'string' && contact !== '') return contact;
  throw new NonRetryableError(`${field}: no recipient given and the incoming message has no contact.id to reply to`, { code: 'invalid_recipient' });
}

/** `value`, or the incoming comment's id (the comment trigger's `commentId`), or a step error naming the field. */
export function commentIdOf(value: string | undefined, input: Json): string {
  const given = value?.trim() ?? '';
  const id = given !== '' ? given : isJsonObject(input) && typeof input.commentId === 'string' ? input.commentId : '';
  if (id === '') throw new NonRetryableError('commentId: empty, and the incoming message has no commentId', { code: 'missing_field' });
  if (!/^\d{5,30}$/.test(id)) throw new NonRetryableError(`commentId: "${id.slice(0, 60)}" is not a comment id (digits)`, { code: 'missing_field' });
  return id;
}
