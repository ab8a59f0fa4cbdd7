import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { amountProp, currencyProp, parseAmount } from '../../_shared/money.js';
import { idText } from '../../_shared/props.js';
import { recordPayments } from '../../_shared/ledger.js';
import { clientFor, credentialSlots } from '../props.js';

const props = z.object({
  paymentId: ui(idText(z.string().trim().regex(/^pay_\w+$|^\{\{/, 'a Razorpay payment id looks like pay_…')), {
    title: 'Payment id', description: 'The authorized payment (pay_…)', placeholder: '{{ $json.paymentId }}',
  }),
  amount: amountProp,
  /** Default: INR. */
  currency: currencyProp.default('INR'),
});

/**
 * Captures an authorized payment for the amount authorized. A payment already captured for that
 * amount (a repeat of this step) is returned as it is: capture is never a second charge.
 */
export default defineNode({
  type: 'razorpay.capture',
  version: 1,
  title: 'Razorpay: capture payment',
  category: 'Payments',
  description: 'Captures an authorized payment (the amount must equal what was authorized)',
  icon: 'card',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const money = parseAmount(p.amount, p.currency);
    const { payment, reused } = await clientFor(ctx).capture(p.paymentId, money);
    const orderId = typeof payment.order_id === 'string' ? payment.order_id : undefined;
    await recordPayments(ctx, 'razorpay', [
      { objectType: 'payment', providerId: payment.id, amount: money.minor, currency: money.currency, status: 'captured', related: orderId ? { orderId } : {} },
      ...(orderId ? [{ objectType: 'order', providerId: orderId, status: 'captured' as const, related: { paymentId: payment.id } }] : []),
    ]);
    return { main: { paymentId: payment.id, status: payment.status ?? null, amount: money.minor, currency: money.currency, orderId: payment.order_id ?? null, reused, payment } };
  },
});
