import type { InboundEvent, InboundMessage, JsonObject, MediaRef } from '@switchyard/sdk';
import { deliveryEntries, type PayloadNode } from '../meta/payload.js';

/** Instagram's messaging window: the account may answer this long after the person's last message. */
export const MESSAGING_WINDOW_MS = 24 * 3_600_000;

/** Attachment types passed on under their own name; anything else is `unknown`. */
const ATTACHMENT_TYPES = new Set(['image', 'video', 'audio', 'file', 'share', 'story_mention', 'reel', 'ig_reel', 'sticker']);

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Splits an `instagram` delivery into events. `messaging[]` items: a message (`mid`) is a `message`
 * event (story replies, quick replies and attachments by message type), a postback a `callback`, a
 * reaction a `reaction`, a read receipt a `status`, an edit an `edit`, an unsent message `deleted`,
 * and the account's own messages (`is_echo`) `echo` events. `changes[]` with field `comments` are
 * `comment` events keyed by the comment id (the same id the comment poller uses, so a comment seen
 * both ways starts one execution). Throws InboundPayloadError naming the path of anything malformed.
 */
export function parseInstagramDelivery(rawBody: Uint8Array, accountId: string): InboundEvent[] {
  const events: InboundEvent[] = [];
  for (const entry of deliveryEntries(rawBody, 'instagram')) {
    const entryTime = entry.has('time') ? timeOf(entry, 'time') : Date.now();
    for (const item of entry.objects('messaging')) {
      const event = messagingEvent(item);
      if (event) events.push(event);
    }
    for (const change of entry.objects('changes')) {
      const field = change.string('field');
      if (field === 'comments' || field === 'live_comments') events.push(commentEvent(change.object('value'), entryTime, accountId));
      // The App Dashboard's "Test" button sends messaging events as changes.
      else if (field === 'messages') {
        const event = messagingEvent(change.object('value'));
        if (event) events.push(event);
      }
    }
  }
  return events;
}

/** Entry and item times are milliseconds on messaging and seconds on some changes: small numbers are seconds. */
function timeOf(node: PayloadNode, key: string): number {
  const value = node.epochMs(key, 'milliseconds');
  return value < 100_000_000_000 ? value * 1000 : value;
}

function messagingEvent(item: PayloadNode): InboundEvent | undefined {
  const sender = item.object('sender').string('id');
  const recipient = item.object('recipient').string('id');
  const at = timeOf(item, 'timestamp');
  const base = { from: sender, to: recipient, timestamp: iso(at), raw: item.value };
  const message = item.optionalObject('message');
  if (message) return messageEvent(message, sender, recipient, at, base);
  const postback = item.optionalObject('postback');
  if (postback) {
    const payload = postback.optionalString('payload') ?? '';
    const title = postback.optionalString('title');
    const mid = postback.optionalString('mid') ?? `postback:${sender}:${at}`;
    return {
      id: mid, type: 'callback', contact: { id: sender }, at,
      message: { providerMessageId: mid, messageType: 'postback', ...(title !== undefined ? { text: title } : {}), choice: { id: payload, ...(title !== undefined ? { title } : {}) } },
      data: { ...base, messageId: mid, messageType: 'postback', text: title ?? null, choice: { id: payload, title: title ?? null }, windowClosesAt: iso(at + MESSAGING_WINDOW_MS) },
    };
  }
  const reaction = item.optionalObject('reaction');
  if (reaction) {
    const mid = reaction.string('mid');
    const action = reaction.optionalString('action') ?? 'react';
    const emoji = action === 'react' ? reaction.optionalString('emoji') : undefined;
    const id = `reaction:${mid}:${action}:${at}`;
    return {
      id, type: 'reaction', contact: { id: sender }, at,
      message: { providerMessageId: id, messageType: 'reaction', ...(emoji !== undefined ? { text: emoji } : {}) },
      data: { ...base, messageType: 'reaction', text: emoji ?? null, reaction: { messageId: mid, action, reaction: reaction.optionalString('reaction') ?? null, emoji: emoji ?? null } },
    };
  }
  const read = item.optionalObject('read');
  if (read) {
    const mid = read.string('mid');
    return {
      id: `status:${mid}:read`, type: 'status', contact: { id: sender }, at,
      status: { providerMessageId: mid, status: 'read', at },
      data: { ...base, messageId: mid, deliveryStatus: 'read' },
    };
  }
  const edit = item.optionalObject('message_edit');
  if (edit) {
    const mid = edit.string('mid');
    const text = edit.optionalString('text');
    const count = edit.optionalString('num_edit') ?? String(at);
    return {
      id: `edit:${mid}:${count}`, type: 'edit', contact: { id: sender }, at,
      message: { providerMessageId: mid, messageType: 'text', ...(text !== undefined ? { text } : {}) },
      data: { ...base, messageId: mid, messageType: 'text', text: text ?? null },
    };
  }
  // Opt-ins, referrals, handovers: nothing a conversation flow acts on.
  return undefined;
}

function messageEvent(message: PayloadNode, sender: string, recipient: string, at: number, base: JsonObject): InboundEvent {
  const mid = message.string('mid');
  const text = message.optionalString('text');
  if (message.get('is_deleted') === true) {
    return { id: `deleted:${mid}`, type: 'deleted', contact: { id: sender }, at, data: { ...base, messageId: mid } };
  }
  const media: MediaRef[] = message.objects('attachments').map((attachment) => {
    const kind = attachment.string('type');
    const url = attachment.optionalObject('payload')?.optionalString('url');
    return { kind, ...(url !== undefined ? { url } : {}) };
  });
  const quickReply = message.optionalObject('quick_reply')?.optionalString('payload');
  const replyTo = message.optionalObject('reply_to');
  const story = replyTo?.optionalObject('story');
  const messageType = message.get('is_unsupported') === true ? 'unknown'
    : story ? 'story_reply'
      : quickReply !== undefined ? 'quick_reply'
        : media.length > 0 ? (ATTACHMENT_TYPES.has(media[0]!.kind) ? media[0]!.kind : 'unknown')
          : text !== undefined ? 'text' : 'unknown';
  const data: JsonObject = {
    ...base,
    messageId: mid,
    messageType,
    text: text ?? null,
    media: media.length > 0 ? media.map((m) => ({ ...m })) : null,
    choice: quickReply !== undefined ? { id: quickReply, title: text ?? null } : null,
    storyReply: story ? { id: story.optionalString('id') ?? null, url: story.optionalString('url') ?? null } : null,
    replyTo: replyTo?.optionalString('mid') ?? null,
    windowClosesAt: iso(at + MESSAGING_WINDOW_MS),
  };
  if (message.get('is_echo') === true) {
    // The account's own message (sent by a flow, or by a person in the Instagram app): not the contact speaking.
    return { id: `echo:${mid}`, type: 'echo', contact: { id: recipient }, at, data };
  }
  const inbound: InboundMessage = { providerMessageId: mid, messageType };
  if (text !== undefined) inbound.text = text;
  if (media.length > 0) inbound.media = media;
  if (quickReply !== undefined) inbound.choice = { id: quickReply, ...(text !== undefined ? { title: text } : {}) };
  return { id: mid, type: 'message', contact: { id: sender }, message: inbound, at, data };
}

function commentEvent(value: PayloadNode, at: number, accountId: string): InboundEvent {
  const from = value.object('from');
  const media = value.optionalObject('media');
  return commentEventOf({
    id: value.string('id'), text: value.optionalString('text') ?? '', fromId: from.string('id'), username: from.optionalString('username'),
    mediaId: media?.optionalString('id'), mediaProductType: media?.optionalString('media_product_type'), parentId: value.optionalString('parent_id'),
    at, source: 'webhook', raw: value.value,
  }, accountId);
}

/** A comment, from a webhook or the poller, as one event shape (keyed by the comment id, so both ways dedupe). */
export interface CommentFields {
  id: string;
  text: string;
  fromId: string;
  username?: string;
  mediaId?: string;
  mediaProductType?: string;
  parentId?: string;
  at: number;
  source: 'webhook' | 'polling';
  raw: JsonObject;
}

export function commentEventOf(comment: CommentFields, accountId: string): InboundEvent {
  return {
    id: comment.id, type: 'comment', at: comment.at,
    contact: comment.username !== undefined ? { id: comment.fromId, name: comment.username } : { id: comment.fromId },
    message: { providerMessageId: comment.id, messageType: 'comment', text: comment.text },
    data: {
      commentId: comment.id,
      text: comment.text,
      from: { id: comment.fromId, username: comment.username ?? null },
      mediaId: comment.mediaId ?? null,
      mediaProductType: comment.mediaProductType ?? null,
      parentId: comment.parentId ?? null,
      // The account's own replies come back as comments too; triggers skip them by default.
      fromSelf: comment.fromId === accountId,
      timestamp: iso(comment.at),
      source: comment.source,
      raw: comment.raw,
    },
  };
}
