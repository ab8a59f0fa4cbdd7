import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { stepReference } from '../../_shared/idempotency.js';
import { parseAmount } from '../../_shared/money.js';
import { idText, notesObject, notesProp } from '../../_shared/props.js';
import { recordPayments } from '../../_shared/ledger.js';
import { clientFor, credentialSlots } from '../props.js';

const props = z.object({
  paymentId: ui(idText(z.string().trim().min(1, 'enter the payment id (pay_…)')), { title: 'Payment id', description: 'The captured payment to refund (pay_…)', placeholder: '{{ $json.paymentId }}' }),
  /** Default: empty, the whole amount left. */
  amount: ui(z.union([z.string().trim(), z.number()]).default(''), {
    title: 'Amount', description: 'In the payment\'s currency, e.g. 100.00; empty refunds everything not yet refunded', placeholder: 'everything left',
  }),
  /** Default: normal. */
  speed: ui(z.enum(['normal', 'optimum']).default('normal'), {
    title: 'Speed', description: 'How fast the money goes back', enumLabels: { normal: 'Normal (5–7 working days)', optimum: 'Optimum (instant where the bank allows)' },
  }),
  notes: notesProp,
});

/**
 * Refunds a captured payment in full or in part, once: the refund carries a receipt derived from the
 * step's idempotency key, and a refund of this payment holding it is returned instead of a second.
 * A refund larger than what is left fails before Razorpay is asked.
 */
export default defineNode({
  type: 'razorpay.refund',
  version: 1,
  title: 'Razorpay: refund',
  category: 'Payments',
  description: 'Refunds a captured payment, fully or partly, at normal or optimum speed',
  icon: 'reply',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const client = clientFor(ctx);
    const amountText = String(p.amount).trim();
    let amount: number | undefined;
    if (amountText !== '') {
      const payment = await client.fetch('payment', p.paymentId);
      amount = parseAmount(amountText, String(payment.currency)).minor;
    }
    const receipt = stepReference(ctx.idempotencyKey);
    const { refund, reused } = await client.refundOnce(p.paymentId, amount, p.speed, receipt, notesObject(p.notes));
    const refunded = typeof refund.amount === 'number' ? refund.amount : undefined;
    await recordPayments(ctx, 'razorpay', [
      { objectType: 'refund', providerId: refund.id, amount: refunded, currency: typeof refund.currency === 'string' ? refund.currency : undefined, status: 'refunded', related: { paymentId: p.paymentId } },
      { objectType: 'payment', providerId: p.paymentId, status: amount === undefined ? 'refunded' : 'partially_refunded', related: { refundId: refund.id } },
    ]);
    return {
      main: {
        refundId: refund.id, paymentId: p.paymentId, amount: refund.amount ?? null, currency: refund.currency ?? null,
        status: refund.status ?? null, speedProcessed: refund.speed_processed ?? null, reused, refund,
      },
    };
  },
});
