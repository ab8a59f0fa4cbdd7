import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { amountProp, currencyProp, describeCharge, parseAmount } from '../../_shared/money.js';
import { recordPayments } from '../../_shared/ledger.js';
import { approvalLink } from '../client.js';
import { clientFor, credentialSlots, requestId } from '../props.js';

const props = z.object({
  amount: amountProp,
  /** Default: USD. */
  currency: currencyProp.default('USD'),
  /** Default: capture. */
  intent: ui(z.enum(['CAPTURE', 'AUTHORIZE']).default('CAPTURE'), {
    title: 'Intent', description: 'Capture takes the money when approved; authorize holds it for a later capture', enumLabels: { CAPTURE: 'Capture when approved', AUTHORIZE: 'Authorize now, capture later' },
  }),
  description: ui(z.string().max(127).default(''), { title: 'Description', description: 'Shown to the payer' }),
  invoiceId: ui(z.string().max(127).default(''), { title: 'Invoice id', description: 'Yours; PayPal refuses a second order with the same one' }),
  customId: ui(z.string().max(127).default(''), { title: 'Custom id', description: 'Yours, returned in webhooks and reports', group: 'Advanced' }),
  returnUrl: ui(z.string().trim().default(''), { title: 'Return URL', description: 'Where PayPal sends the payer after approving', group: 'Advanced' }),
  cancelUrl: ui(z.string().trim().default(''), { title: 'Cancel URL', description: 'Where PayPal sends a payer who cancels', group: 'Advanced' }),
  brandName: ui(z.string().max(127).default(''), { title: 'Brand name', description: 'Shown on PayPal\'s pages instead of the account\'s name', group: 'Advanced' }),
});

/**
 * Creates a PayPal Checkout order and emits the approval link to send the payer to. Sent with
 * PayPal-Request-Id = the step's idempotency key: a repeat gets the same order back.
 */
export default defineNode({
  type: 'paypal.create-order',
  version: 1,
  title: 'PayPal: create order',
  category: 'Payments',
  description: 'Creates an order (capture or authorize) and returns the link where the payer approves it',
  icon: 'card',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const money = parseAmount(p.amount, p.currency);
    const unit = Object.fromEntries(Object.entries({ description: p.description, invoiceId: p.invoiceId, customId: p.customId }).filter(([, v]) => v !== ''));
    const context = Object.fromEntries(Object.entries({ returnUrl: p.returnUrl, cancelUrl: p.cancelUrl, brandName: p.brandName }).filter(([, v]) => v !== ''));
    const order = await clientFor(ctx).createOrder(money, p.intent, requestId(ctx), unit, context);
    if (typeof order.id === 'string') await recordPayments(ctx, 'paypal', [{ objectType: 'order', providerId: order.id, amount: money.minor, currency: money.currency, status: 'created' }]);
    ctx.log.info('paypal order', { orderId: order.id ?? null, charge: describeCharge(money) });
    return { main: { orderId: order.id ?? null, status: order.status ?? null, intent: p.intent, approvalUrl: approvalLink(order), amount: money.minor, currency: money.currency, order } };
  },
});
