import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { checkTextFilter, textFilterField, textMatches, textPatternField } from '../../_shared/text-filter.js';
import { accountSlot } from '../props.js';
import { MAX_POLL_MS, MIN_POLL_MS, pollComments } from './poll.js';

const props = z.object({
  /** Default: 'webhook'. */
  source: ui(z.enum(['webhook', 'polling']).default('webhook'), {
    title: 'Receive comments by', description: 'The webhook needs the "comments" field subscribed in the Meta app; polling needs nothing but reads the latest posts every 5 to 30 minutes', expression: false,
    enumLabels: { webhook: 'Webhook (instant)', polling: 'Polling the latest posts (every 5–30 minutes)' },
  }),
  /** Default: every post. */
  mediaIds: ui(z.array(z.object({ id: ui(z.string().trim().regex(/^\d{5,30}$/, 'a post id is digits'), { title: 'Post id', description: 'The media id of the post', expression: false }) })).default([]), {
    title: 'Only these posts', description: 'Leave empty for every post',
  }),
  /** Default: true. */
  includeReplies: ui(z.boolean().default(true), { title: 'Include replies', description: 'Also start on replies to comments' }),
  /** Default: true. */
  ignoreOwn: ui(z.boolean().default(true), { title: 'Ignore the account\'s own comments', description: 'Skip comments and replies the account itself wrote (a flow\'s replies come back as comments)' }),
  textFilter: textFilterField,
  pattern: textPatternField,
  /** Polling: how many of the latest posts to watch. Default: 10. */
  watchPosts: ui(z.number().int().min(1).max(50).default(10), { title: 'Posts to watch (polling)', description: 'Polling reads the comments of this many of the latest posts', group: 'Polling' }),
}).superRefine(checkTextFilter);

/**
 * Starts the flow on each new comment (or reply) on the account's posts, from the `comments`
 * webhook or by polling. Emits `{ commentId, text, from: { id, username }, mediaId, parentId,
 * fromSelf, timestamp, source, raw }`; reply with "Instagram: reply to comment" or
 * "Instagram: private reply".
 */
export default defineNode({
  type: 'instagram.comment-trigger',
  version: 1,
  title: 'Instagram comment trigger',
  category: 'Channels',
  description: 'Starts the flow on each new comment on the account\'s posts (webhook or polling)',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: [], out: ['main'] },
  sideEffects: false,
  literalProps: ['source', 'mediaIds', 'includeReplies', 'ignoreOwn', 'textFilter', 'pattern', 'watchPosts'],
  trigger: {
    kind: 'channel',
    channel: {
      account: 'account',
      matches(event, p) {
        if (event.type !== 'comment') return false;
        const data = event.data !== null && typeof event.data === 'object' && !Array.isArray(event.data) ? event.data : {};
        if (p.mediaIds.length > 0 && !p.mediaIds.some((m) => m.id === data.mediaId)) return false;
        if (!p.includeReplies && typeof data.parentId === 'string') return false;
        if (p.ignoreOwn && data.fromSelf === true) return false;
        return textMatches(event.message?.text, p.textFilter, p.pattern);
      },
      // Comments are public: a person taking over a DM thread does not silence comment automation.
      honoursHandoff: () => false,
      poll: {
        // The poller itself skips polls until its cursor says the next one is due (5 to 30 minutes).
        intervalMs: (p) => (p.source === 'polling' ? MIN_POLL_MS : MAX_POLL_MS),
        run(ctx, p, cursor) {
          if (p.source !== 'polling') return Promise.resolve({ events: [], cursor });
          return pollComments(ctx, { watchPosts: p.watchPosts, mediaIds: p.mediaIds.map((m) => m.id) }, cursor);
        },
      },
    },
  },
  run(_ctx, input) {
    return { main: input };
  },
});
