import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { credentialSlots } from '../props.js';
import { RAZORPAY_EVENTS } from '../webhook.js';

const props = z.object({
  /** Default: payment.captured, payment.failed, order.paid, payment_link.paid, payment_link.expired, refund.processed. */
  events: ui(z.array(z.enum(RAZORPAY_EVENTS)).min(1, 'pick at least one event').default([
    'payment.captured', 'payment.failed', 'order.paid', 'payment_link.paid', 'payment_link.expired', 'refund.processed',
  ]), {
    title: 'Events', description: 'Tick the same events on the Razorpay dashboard\'s webhook',
  }),
});

type Props = z.infer<typeof props>;

/**
 * Starts the flow on the account's verified Razorpay webhooks (signature over the raw bytes with the
 * webhook secret; a retried event, same X-Razorpay-Event-Id, starts nothing). Emits the event in the
 * payments shape: `event`, `paymentStatus`, `orderId`, `paymentLinkId`, `paymentId`, `refundId`,
 * `amount` (minor units), `currency`, and Razorpay's payload under `raw`.
 */
export default defineNode({
  type: 'razorpay.trigger',
  version: 1,
  title: 'Razorpay trigger',
  category: 'Payments',
  description: 'Starts the flow when Razorpay reports a payment, order, link or refund event',
  icon: 'card',
  props,
  credentials: credentialSlots,
  ports: { in: [], out: ['main'] },
  trigger: {
    kind: 'channel',
    channel: {
      account: 'account',
      matches: (event, p: Props) => (p.events as readonly string[]).includes(event.type),
      // Payments are not conversations: an inbox takeover does not pause them.
      honoursHandoff: () => false,
    },
  },
  sideEffects: false,
  literalProps: ['events'],
  run(_ctx, input) {
    return { main: input };
  },
});
