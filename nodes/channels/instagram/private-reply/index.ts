import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { fitText } from '../../_shared/text.js';
import { commentIdOf, sendDirect } from '../client.js';
import { instagramAccount } from '../credential.js';
import { accountSlot, commentIdField, DM_TEXT_LIMIT } from '../props.js';

const props = z.object({
  commentId: commentIdField,
  text: ui(z.string().min(1, 'enter the message').max(DM_TEXT_LIMIT, `at most ${DM_TEXT_LIMIT} characters`), {
    title: 'Message', description: 'Sent as a DM to the person who wrote the comment', widget: 'textarea',
  }),
});

/**
 * The comment-to-DM pattern: sends the commenter a direct message about their comment (Send API
 * with `recipient: { comment_id }`). Instagram allows one private reply per comment, within 7 days.
 */
export default defineNode({
  type: 'instagram.private-reply',
  version: 1,
  title: 'Instagram: private reply',
  category: 'Channels',
  description: 'Sends the author of a comment a direct message about it',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const commentId = commentIdOf(p.commentId, input);
    const [text = p.text] = fitText(p.text, DM_TEXT_LIMIT, 'refuse', 'text');
    const account = instagramAccount(ctx.credentials.account);
    const sent = await sendDirect(ctx, account, { comment_id: commentId }, { text }, { messageType: 'text', text });
    return { main: { messageId: sent.messageId, recipient: sent.recipientId, commentId } };
  },
});
