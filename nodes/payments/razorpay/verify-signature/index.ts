import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { idText } from '../../_shared/props.js';
import { credentialSlots } from '../props.js';
import { validSignature } from '../webhook.js';

const props = z.object({
  /** Default: checkout. */
  kind: ui(z.enum(['checkout', 'payment_link']).default('checkout'), {
    title: 'What was paid', description: 'Which callback the signature came with',
    enumLabels: { checkout: 'Checkout (order_id|payment_id)', payment_link: 'Payment link callback (link|reference|status|payment)' },
  }),
  paymentId: ui(idText(z.string().trim().min(1, 'enter razorpay_payment_id')), { title: 'razorpay_payment_id', description: 'From the callback' }),
  orderId: ui(idText(z.string().trim()).default(''), { title: 'razorpay_order_id', description: 'Checkout only' }),
  paymentLinkId: ui(idText(z.string().trim()).default(''), { title: 'razorpay_payment_link_id', description: 'Payment link only' }),
  paymentLinkReferenceId: ui(idText(z.string().trim()).default(''), { title: 'razorpay_payment_link_reference_id', description: 'Payment link only' }),
  paymentLinkStatus: ui(z.string().trim().default(''), { title: 'razorpay_payment_link_status', description: 'Payment link only' }),
  signature: ui(z.string().trim().min(1, 'enter razorpay_signature'), { title: 'razorpay_signature', description: 'From the callback; checked with the key secret' }),
});

/**
 * Checks the `razorpay_signature` Checkout or a payment link's callback hands back: HMAC-SHA256 hex
 * with the key secret over `order_id|payment_id` (Checkout) or `link_id|reference_id|status|payment_id`
 * (payment link), compared in constant time. Emits on `valid` or `invalid`; never on both.
 */
export default defineNode({
  type: 'razorpay.verify-signature',
  version: 1,
  title: 'Razorpay: verify payment signature',
  category: 'Payments',
  description: 'Checks that a Checkout or payment-link callback really came from Razorpay',
  icon: 'shield',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['valid', 'invalid'] },
  sideEffects: false,
  run(ctx, input, p) {
    const payload = p.kind === 'checkout'
      ? `${p.orderId}|${p.paymentId}`
      : `${p.paymentLinkId}|${p.paymentLinkReferenceId}|${p.paymentLinkStatus}|${p.paymentId}`;
    const missing = p.kind === 'checkout' ? (p.orderId === '' ? 'razorpay_order_id' : undefined)
      : ([['razorpay_payment_link_id', p.paymentLinkId], ['razorpay_payment_link_reference_id', p.paymentLinkReferenceId], ['razorpay_payment_link_status', p.paymentLinkStatus]]
        .find(([, v]) => v === '')?.[0]);
    const valid = missing === undefined && validSignature(payload, p.signature, ctx.credentials.account.fields.keySecret ?? '');
    const result = { valid, paymentId: p.paymentId, ...(missing ? { reason: `${missing} is empty` } : valid ? {} : { reason: 'the signature does not match' }) };
    return valid ? { valid: { ...result, input } } : { invalid: { ...result, input } };
  },
});
