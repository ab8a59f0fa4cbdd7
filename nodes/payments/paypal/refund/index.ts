import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { parseAmount } from '../../_shared/money.js';
import { idText } from '../../_shared/props.js';
import { recordPayments } from '../../_shared/ledger.js';
import { minorOf } from '../client.js';
import { clientFor, credentialSlots, requestId } from '../props.js';

const props = z.object({
  captureId: ui(idText(z.string().trim().min(1, 'enter the capture id')), { title: 'Capture id', description: 'From Capture', placeholder: '{{ $json.captureId }}' }),
  /** Default: empty, everything not yet refunded. */
  amount: ui(z.union([z.string().trim(), z.number()]).default(''), { title: 'Amount', description: 'Empty refunds everything not yet refunded' }),
  currency: ui(z.string().trim().default(''), { title: 'Currency', description: 'The capture\'s currency, with an amount' }),
});

/**
 * Refunds a capture in full or in part, with PayPal-Request-Id = the step's idempotency key. More than
 * what is left fails with `paypal_refund_amount_exceeded`.
 */
export default defineNode({
  type: 'paypal.refund',
  version: 1,
  title: 'PayPal: refund',
  category: 'Payments',
  description: 'Refunds a captured payment, fully or partly',
  icon: 'reply',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const amountText = String(p.amount).trim();
    const money = amountText === '' ? undefined : parseAmount(amountText, p.currency);
    const refund = await clientFor(ctx).refundCapture(p.captureId, requestId(ctx), money);
    const amount = minorOf(refund.amount);
    if (typeof refund.id === 'string') {
      await recordPayments(ctx, 'paypal', [
        { objectType: 'refund', providerId: refund.id, amount: amount?.minor, currency: amount?.currency, status: 'refunded', related: { paymentId: p.captureId } },
        { objectType: 'payment', providerId: p.captureId, status: money ? 'partially_refunded' : 'refunded', related: { refundId: refund.id } },
      ]);
    }
    return { main: { refundId: refund.id ?? null, captureId: p.captureId, status: refund.status ?? null, amount: amount?.minor ?? null, currency: amount?.currency ?? null, refund } };
  },
});
