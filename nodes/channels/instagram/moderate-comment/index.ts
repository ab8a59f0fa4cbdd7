import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { commentIdOf, instagramCall } from '../client.js';
import { instagramAccount } from '../credential.js';
import { accountSlot, commentIdField } from '../props.js';

const props = z.object({
  commentId: commentIdField,
  /** Default: 'hide'. */
  action: ui(z.enum(['hide', 'unhide', 'delete']).default('hide'), {
    title: 'Action', description: 'Hidden comments are seen only by their author; deleting cannot be undone', expression: false,
    enumLabels: { hide: 'Hide', unhide: 'Show again (unhide)', delete: 'Delete' },
  }),
});

/** Hides, unhides or deletes a comment on the account's posts. */
export default defineNode({
  type: 'instagram.moderate-comment',
  version: 1,
  title: 'Instagram: moderate comment',
  category: 'Channels',
  description: 'Hides, unhides or deletes a comment',
  icon: 'shield',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const commentId = commentIdOf(p.commentId, input);
    const account = instagramAccount(ctx.credentials.account);
    const body = p.action === 'delete'
      ? await instagramCall(ctx, account, { method: 'DELETE', path: commentId })
      : await instagramCall(ctx, account, { method: 'POST', path: commentId, body: { hide: p.action === 'hide' } });
    return { main: { commentId, action: p.action, success: body.success === true } };
  },
});
