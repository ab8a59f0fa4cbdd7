import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { checkTriggerFilter, matchesTriggerFilter, triggerFilterFields } from '../../_shared/trigger-filter.js';

const props = z.object({
  ...triggerFilterFields(['message', 'status'], { message: 'Incoming messages', status: 'Delivery statuses of sent messages' }, ['message']),
  /** Default: 'any'. */
  channel: ui(z.enum(['any', 'sms', 'whatsapp']).default('any'), {
    title: 'Channel', description: 'SMS, WhatsApp through Twilio, or both', expression: false,
    enumLabels: { any: 'SMS and WhatsApp', sms: 'SMS / MMS only', whatsapp: 'WhatsApp through Twilio only' },
  }),
}).superRefine(checkTriggerFilter);

/**
 * Starts a flow on each message a Twilio number receives (SMS, MMS or WhatsApp through Twilio), or on
 * the delivery statuses of messages sent with "Send SMS" when picked. The gateway has verified
 * `X-Twilio-Signature` and deduplicated by `MessageSid` before this runs.
 */
export default defineNode({
  type: 'twilio.sms-trigger',
  version: 1,
  title: 'Twilio SMS trigger',
  category: 'Channels',
  description: 'Starts the flow when a Twilio number receives an SMS or WhatsApp message (or a delivery status)',
  icon: 'message',
  props,
  credentials: { account: { kind: 'twilio', title: 'Twilio account' } },
  ports: { in: [], out: ['main'] },
  sideEffects: false,
  // Read by the gateway with no execution to evaluate an expression against.
  literalProps: Object.keys(props.shape),
  trigger: {
    kind: 'channel',
    channel: {
      account: 'account',
      matches(event, props) {
        if (!matchesTriggerFilter(event, props)) return false;
        if (props.channel === 'any') return true;
        const whatsapp = (event.contact?.id ?? '').toLowerCase().startsWith('whatsapp:');
        return props.channel === 'whatsapp' ? whatsapp : !whatsapp;
      },
      honoursHandoff: (props) => props.pauseOnHandoff,
    },
  },
  /** `input` is the gateway's trigger payload: `{ messageSid, channel, text, from, to, media, …, raw, eventId, eventType, contact, message, status }`. */
  run(_ctx, input) {
    return { main: input };
  },
});
