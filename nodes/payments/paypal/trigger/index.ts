import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { credentialSlots } from '../props.js';
import { PAYPAL_EVENTS } from '../webhook.js';

const props = z.object({
  /** Default: order approved and completed, capture completed/denied/refunded. */
  events: ui(z.array(z.enum(PAYPAL_EVENTS)).min(1, 'pick at least one event').default([
    'CHECKOUT.ORDER.APPROVED', 'CHECKOUT.ORDER.COMPLETED', 'PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.DENIED', 'PAYMENT.CAPTURE.REFUNDED',
  ]), { title: 'Events', description: 'Subscribe the webhook to the same events in the PayPal developer dashboard' }),
});

type Props = z.infer<typeof props>;

/**
 * Starts the flow on the account's PayPal webhooks, each verified by PayPal's
 * verify-webhook-signature with the credential's webhook id (a redelivery, same event id, starts
 * nothing). Emits `event`, `paymentStatus`, `orderId`, `paymentId`, `refundId`, `amount` (minor units),
 * `currency` and PayPal's event under `raw`.
 */
export default defineNode({
  type: 'paypal.trigger',
  version: 1,
  title: 'PayPal trigger',
  category: 'Payments',
  description: 'Starts the flow when PayPal reports an order or payment event',
  icon: 'card',
  props,
  credentials: credentialSlots,
  ports: { in: [], out: ['main'] },
  trigger: {
    kind: 'channel',
    channel: {
      account: 'account',
      matches: (event, p: Props) => (p.events as readonly string[]).includes(event.type),
      honoursHandoff: () => false,
    },
  },
  sideEffects: false,
  literalProps: ['events'],
  run(_ctx, input) {
    return { main: input };
  },
});
