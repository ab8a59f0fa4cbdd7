import { z } from 'zod';
import { defineNode, isJsonObject, ui } from '@switchyard/sdk';
import { fitText } from '../../_shared/text.js';
import { commentIdOf, instagramCall } from '../client.js';
import { instagramAccount } from '../credential.js';
import { accountSlot, commentIdField } from '../props.js';

/** Instagram's limit on a comment. */
export const COMMENT_LIMIT = 2200;

const props = z.object({
  commentId: commentIdField,
  text: ui(z.string().min(1, 'enter the reply').max(COMMENT_LIMIT, `at most ${COMMENT_LIMIT} characters`), { title: 'Reply', description: 'Public reply under the comment', widget: 'textarea' }),
});

/** Replies publicly under a comment (`POST /{comment-id}/replies`). */
export default defineNode({
  type: 'instagram.reply-comment',
  version: 1,
  title: 'Instagram: reply to comment',
  category: 'Channels',
  description: 'Posts a public reply under a comment',
  icon: 'reply',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const commentId = commentIdOf(p.commentId, input);
    const [text = p.text] = fitText(p.text, COMMENT_LIMIT, 'refuse', 'text');
    const account = instagramAccount(ctx.credentials.account);
    const body = await instagramCall(ctx, account, { method: 'POST', path: `${commentId}/replies`, body: { message: text } });
    const replyId = typeof body.id === 'string' ? body.id : null;
    // A reply to the comment that started the flow belongs to the commenter's thread in the inbox.
    const contact = isJsonObject(input) && isJsonObject(input.contact) && typeof input.contact.id === 'string' ? input.contact.id : undefined;
    const replyToTrigger = isJsonObject(input) && input.commentId === commentId;
    if (replyId && contact && replyToTrigger) {
      await ctx.channels?.recordOutbound({ credentialId: account.credentialId, contactId: contact, providerMessageId: replyId, messageType: 'comment_reply', text });
    }
    return { main: { replyId, commentId } };
  },
});
