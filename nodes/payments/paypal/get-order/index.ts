import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';
import { approvalLink } from '../client.js';
import { clientFor, credentialSlots, orderIdProp } from '../props.js';
import { paymentsOf } from '../results.js';

const props = z.object({ orderId: orderIdProp });

/** Reads an order as PayPal has it now: status, approval link, captures and authorizations. */
export default defineNode({
  type: 'paypal.get-order',
  version: 1,
  title: 'PayPal: get order',
  category: 'Payments',
  description: 'Reads an order and its status (CREATED, APPROVED, COMPLETED, …)',
  icon: 'globe',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: false,
  async run(ctx, _input, p) {
    const order = await clientFor(ctx).getOrder(p.orderId);
    return { main: { orderId: order.id ?? null, status: order.status ?? null, approvalUrl: approvalLink(order), ...paymentsOf(order), order } };
  },
});
