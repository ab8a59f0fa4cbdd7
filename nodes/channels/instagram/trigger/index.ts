import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { checkTextFilter, pauseOnHandoffField, textFilterField, textMatches, textPatternField } from '../../_shared/text-filter.js';
import { accountSlot } from '../props.js';

export const INSTAGRAM_EVENT_TYPES = ['message', 'callback', 'reaction', 'edit', 'status', 'echo'] as const;
export const INSTAGRAM_MESSAGE_TYPES = ['text', 'quick_reply', 'story_reply', 'image', 'video', 'audio', 'file', 'share', 'story_mention', 'reel', 'ig_reel', 'sticker', 'unknown'] as const;

const props = z.object({
  /** Default: messages and postbacks (button taps). */
  events: ui(z.array(z.enum(INSTAGRAM_EVENT_TYPES)).min(1, 'pick at least one event').default(['message', 'callback']), {
    title: 'Events', description: 'Which events start the flow', expression: false,
    enumLabels: {
      message: 'Message (text, media, story replies, quick replies)', callback: 'Postback (button tap)', reaction: 'Reaction', edit: 'Edited message',
      status: 'Read receipt', echo: 'Message sent by the account (echo)',
    },
  }),
  /** Default: every type. */
  messageTypes: ui(z.array(z.enum(INSTAGRAM_MESSAGE_TYPES)).default([]), {
    title: 'Message types', description: 'Only these types of message (none picked: every type)', expression: false,
    enumLabels: {
      text: 'Text', quick_reply: 'Quick reply', story_reply: 'Story reply', image: 'Image', video: 'Video', audio: 'Audio', file: 'File', share: 'Shared post',
      story_mention: 'Story mention', reel: 'Reel', ig_reel: 'Shared reel', sticker: 'Sticker', unknown: 'Unknown / unsupported',
    },
  }),
  textFilter: textFilterField,
  pattern: textPatternField,
  pauseOnHandoff: pauseOnHandoffField,
}).superRefine(checkTextFilter);

export type InstagramTriggerProps = z.infer<typeof props>;

/**
 * Starts the flow on each direct message (and, when picked, postback, reaction, edit, read receipt
 * or echo) the Instagram account receives. Emits `{ messageId, from, text, messageType, media,
 * choice, storyReply, replyTo, timestamp, windowClosesAt, raw }` plus the gateway's fields.
 */
export default defineNode({
  type: 'instagram.trigger',
  version: 1,
  title: 'Instagram DM trigger',
  category: 'Channels',
  description: 'Starts the flow when the Instagram account receives a direct message, a story reply or a button tap',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: [], out: ['main'] },
  sideEffects: false,
  literalProps: ['events', 'messageTypes', 'textFilter', 'pattern', 'pauseOnHandoff'],
  trigger: {
    kind: 'channel',
    channel: {
      account: 'account',
      matches(event, p) {
        if (!(p.events as readonly string[]).includes(event.type)) return false;
        if (event.type === 'status' || event.type === 'echo') return true;
        if (event.type === 'message' && p.messageTypes.length > 0 && !(p.messageTypes as readonly string[]).includes(event.message?.messageType ?? 'unknown')) return false;
        return textMatches(event.message?.text, p.textFilter, p.pattern);
      },
      honoursHandoff: (p) => p.pauseOnHandoff,
    },
  },
  run(_ctx, input) {
    return { main: input };
  },
});
