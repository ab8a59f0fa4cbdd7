import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { idText } from '../../_shared/props.js';
import { clientFor, credentialSlots } from '../props.js';

const props = z.object({
  /** Default: payment. */
  object: ui(z.enum(['payment', 'order', 'payment_link']).default('payment'), {
    title: 'Object', description: 'What the id names', enumLabels: { payment: 'Payment (pay_…)', order: 'Order (order_…)', payment_link: 'Payment link (plink_…)' },
  }),
  id: ui(idText(z.string().trim().min(1, 'enter the id to fetch')), { title: 'Id', description: 'Razorpay\'s id: pay_…, order_… or plink_…', placeholder: 'pay_…' }),
});

/** Fetches a payment, order or payment link as Razorpay has it now. */
export default defineNode({
  type: 'razorpay.fetch',
  version: 1,
  title: 'Razorpay: fetch',
  category: 'Payments',
  description: 'Reads a payment, order or payment link and its current status',
  icon: 'globe',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  // A read: repeating it after a crash is harmless.
  sideEffects: false,
  async run(ctx, _input, p) {
    const entity = await clientFor(ctx).fetch(p.object, p.id);
    return { main: { id: entity.id, object: p.object, status: entity.status ?? null, amount: entity.amount ?? null, currency: entity.currency ?? null, entity } };
  },
});
