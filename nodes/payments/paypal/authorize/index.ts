import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';
import { recordPayments } from '../../_shared/ledger.js';
import { clientFor, credentialSlots, orderIdProp, requestId } from '../props.js';
import { paymentsOf } from '../results.js';

const props = z.object({ orderId: orderIdProp });

/** Authorizes an approved order (intent authorize): funds held, captured later or voided. Idempotent by PayPal-Request-Id. */
export default defineNode({
  type: 'paypal.authorize',
  version: 1,
  title: 'PayPal: authorize',
  category: 'Payments',
  description: 'Authorizes an approved order so it can be captured later (or voided)',
  icon: 'card',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const order = await clientFor(ctx).authorizeOrder(p.orderId, requestId(ctx));
    const { authorizationId } = paymentsOf(order);
    await recordPayments(ctx, 'paypal', [
      { objectType: 'order', providerId: p.orderId, status: 'authorized' },
      ...(authorizationId ? [{ objectType: 'authorization', providerId: authorizationId, status: 'authorized' as const, related: { orderId: p.orderId } }] : []),
    ]);
    return { main: { orderId: order.id ?? p.orderId, status: order.status ?? null, authorizationId: paymentsOf(order).authorizationId, order } };
  },
});
