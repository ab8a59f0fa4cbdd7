import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { checkTextFilter, pauseOnHandoffField, textFilterField, textMatches, textPatternField } from '../../_shared/text-filter.js';
import { accountSlot } from '../props.js';

export const WHATSAPP_EVENT_TYPES = ['message', 'reaction', 'status'] as const;
export const WHATSAPP_MESSAGE_TYPES = [
  'text', 'image', 'audio', 'video', 'document', 'sticker', 'location', 'contacts', 'interactive', 'button', 'order', 'system', 'unknown',
] as const;

const props = z.object({
  /** Default: messages only (statuses never start a flow unless picked here). */
  events: ui(z.array(z.enum(WHATSAPP_EVENT_TYPES)).min(1, 'pick at least one event').default(['message']), {
    title: 'Events', description: 'Which events start the flow. Delivery statuses only when "Status" is picked', expression: false,
    enumLabels: { message: 'Message', reaction: 'Reaction', status: 'Status (sent, delivered, read, failed)' },
  }),
  /** Default: every type. */
  messageTypes: ui(z.array(z.enum(WHATSAPP_MESSAGE_TYPES)).default([]), {
    title: 'Message types', description: 'Only these types of message (none picked: every type)', expression: false,
    enumLabels: {
      text: 'Text', image: 'Image', audio: 'Audio / voice', video: 'Video', document: 'Document', sticker: 'Sticker', location: 'Location',
      contacts: 'Contacts', interactive: 'Button or list reply', button: 'Template button', order: 'Order', system: 'System', unknown: 'Unknown / unsupported',
    },
  }),
  textFilter: textFilterField,
  pattern: textPatternField,
  pauseOnHandoff: pauseOnHandoffField,
}).superRefine(checkTextFilter);

export type WhatsAppTriggerProps = z.infer<typeof props>;

/**
 * Starts the flow on each message (or reaction, or status) the business number receives through
 * its callback URL. Emits `{ messageId, from, name, text, messageType, media, choice, location,
 * timestamp, windowClosesAt, raw, … }` plus the gateway's `eventId`, `eventType`, `accountId`,
 * `contact`, `message` and `status`.
 */
export default defineNode({
  type: 'whatsapp.trigger',
  version: 1,
  title: 'WhatsApp trigger',
  category: 'Channels',
  description: 'Starts the flow when the WhatsApp number receives a message, a reaction or a delivery status',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: [], out: ['main'] },
  sideEffects: false,
  // Filters are read by the gateway when an event arrives, before any execution exists to evaluate them in.
  literalProps: ['events', 'messageTypes', 'textFilter', 'pattern', 'pauseOnHandoff'],
  trigger: {
    kind: 'channel',
    channel: {
      account: 'account',
      matches(event, p) {
        if (!(p.events as readonly string[]).includes(event.type)) return false;
        if (event.type === 'status') return true;
        const messageType = event.message?.messageType ?? 'unknown';
        if (p.messageTypes.length > 0 && event.type === 'message' && !(p.messageTypes as readonly string[]).includes(messageType)) return false;
        return textMatches(event.message?.text, p.textFilter, p.pattern);
      },
      honoursHandoff: (p) => p.pauseOnHandoff,
    },
  },
  run(_ctx, input) {
    return { main: input };
  },
});
