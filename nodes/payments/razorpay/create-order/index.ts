import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { stepReference } from '../../_shared/idempotency.js';
import { amountProp, currencyProp, describeCharge, parseAmount } from '../../_shared/money.js';
import { notesObject, notesProp } from '../../_shared/props.js';
import { recordPayments } from '../../_shared/ledger.js';
import { clientFor, credentialSlots } from '../props.js';

const props = z.object({
  amount: amountProp,
  /** Default: INR. */
  currency: currencyProp.default('INR'),
  /** Default: derived from the step's idempotency key, so a repeated step finds its order. */
  receipt: ui(z.string().trim().max(40, 'Razorpay keeps receipts of at most 40 characters').optional(), {
    title: 'Receipt', description: 'Your reference, unique per order (at most 40 characters). Empty: one derived from this step, so a retry never creates a second order',
  }),
  notes: notesProp,
  /** Default: false. */
  partialPayment: ui(z.boolean().default(false), { title: 'Allow partial payments', description: 'Let the customer pay the order in more than one payment' }),
});

/**
 * Creates a Razorpay order for Checkout, once: the receipt (yours, or one derived from the step's
 * idempotency key) is looked up before creating, so a retry, a worker killed after Razorpay answered
 * or a re-run returns the same order instead of a second one.
 */
export default defineNode({
  type: 'razorpay.create-order',
  version: 1,
  title: 'Razorpay: create order',
  category: 'Payments',
  description: 'Creates an order to pay with Razorpay Checkout (amount in the currency\'s major unit, e.g. 499.00)',
  icon: 'card',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const money = parseAmount(p.amount, p.currency);
    const receipt = p.receipt || stepReference(ctx.idempotencyKey);
    const { order, reused } = await clientFor(ctx).createOrderOnce(money, receipt, notesObject(p.notes), p.partialPayment);
    await recordPayments(ctx, 'razorpay', [{ objectType: 'order', providerId: order.id, amount: money.minor, currency: money.currency, status: 'created' }]);
    ctx.log.info('razorpay order', { orderId: order.id, reused, charge: describeCharge(money) });
    return { main: { orderId: order.id, amount: money.minor, currency: money.currency, receipt, status: order.status ?? null, reused, order } };
  },
});
