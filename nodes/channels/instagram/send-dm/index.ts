import { z } from 'zod';
import { defineNode, ui, type JsonObject } from '@switchyard/sdk';
import { fitText } from '../../_shared/text.js';
import { mediaKind, mediaUrl } from '../../meta/media-url.js';
import { recipientId, sendDirect } from '../client.js';
import { instagramAccount } from '../credential.js';
import { accountSlot, DM_TEXT_LIMIT, MAX_QUICK_REPLIES, quickReplies, quickReply, recipientField } from '../props.js';

export const INSTAGRAM_MEDIA_KINDS = ['image', 'video', 'audio', 'file'] as const;

const props = z.object({
  recipient: recipientField,
  text: ui(z.string().optional(), { title: 'Text', description: `Up to ${DM_TEXT_LIMIT} characters per message`, widget: 'textarea' }),
  /** Default: none. */
  quickReplies: ui(z.array(quickReply).max(MAX_QUICK_REPLIES, `Instagram shows at most ${MAX_QUICK_REPLIES} quick replies`).default([]), {
    title: 'Quick replies', description: 'Buttons under the text; a tap answers with its payload (choice.id)',
  }),
  // Text, not a select: it may come from an earlier node, e.g. {{ $json.media[0].kind }}.
  mediaKind: ui(z.string().trim().optional(), { title: 'Media type', description: 'image, video, audio or file — with a media URL', placeholder: 'image', group: 'Media' }),
  mediaUrl: ui(z.string().trim().optional(), { title: 'Media URL', description: 'Public http(s) URL Instagram downloads; sent before the text', group: 'Media' }),
  /** Default: 'split'. */
  overLongText: ui(z.enum(['split', 'refuse']).default('split'), {
    title: `Text over ${DM_TEXT_LIMIT} characters`, description: 'Send a longer text in several messages, or fail the step', group: 'Options',
    enumLabels: { split: 'Split into several messages', refuse: 'Fail the step' },
  }),
}).superRefine((value, ctx) => {
  if (!value.text && !value.mediaUrl) ctx.addIssue({ code: 'custom', path: ['text'], message: 'enter a text, a media URL or both' });
  if (value.quickReplies.length > 0 && !value.text) ctx.addIssue({ code: 'custom', path: ['quickReplies'], message: 'quick replies go under a text: enter one' });
});

/**
 * Sends a direct message: media by URL and/or text (split at 1000 characters or refused), the last
 * text part carrying the quick replies. Instagram accepts it only within 24 hours of the person's
 * last message.
 */
export default defineNode({
  type: 'instagram.send-dm',
  version: 1,
  title: 'Instagram: send DM',
  category: 'Channels',
  description: 'Sends a direct message with text, quick replies or media',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const kind = p.mediaUrl ? mediaKind(p.mediaKind ?? 'image', INSTAGRAM_MEDIA_KINDS, 'mediaKind', 'Instagram') : undefined;
    const link = p.mediaUrl ? mediaUrl(p.mediaUrl, 'mediaUrl') : undefined;
    const parts = p.text ? fitText(p.text, DM_TEXT_LIMIT, p.overLongText, 'text') : [];
    const account = instagramAccount(ctx.credentials.account);
    const recipient = recipientId(p.recipient, input);
    const ids: string[] = [];
    if (kind && link) {
      const sent = await sendDirect(ctx, account, { id: recipient }, { attachment: { type: kind, payload: { url: link } } }, { messageType: kind, media: [{ kind, url: link }] });
      ids.push(sent.messageId);
    }
    for (const [index, part] of parts.entries()) {
      const message: JsonObject = { text: part };
      if (index === parts.length - 1 && p.quickReplies.length > 0) message.quick_replies = quickReplies(p.quickReplies);
      const choices = index === parts.length - 1 ? p.quickReplies.map((q) => ({ id: q.id, title: q.title })) : undefined;
      const sent = await sendDirect(ctx, account, { id: recipient }, message, { messageType: 'text', text: part, ...(choices && choices.length > 0 ? { choices } : {}) });
      ids.push(sent.messageId);
    }
    return { main: { messageId: ids[0] ?? null, messageIds: ids, recipient } };
  },
});
