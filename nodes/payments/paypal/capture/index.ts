import { z } from 'zod';
import { defineNode, NonRetryableError, ui, type JsonObject } from '@switchyard/sdk';
import { parseAmount } from '../../_shared/money.js';
import { idText } from '../../_shared/props.js';
import { recordPayments } from '../../_shared/ledger.js';
import { minorOf } from '../client.js';
import { clientFor, credentialSlots, orderIdProp, requestId } from '../props.js';
import { paymentsOf } from '../results.js';

const props = z.object({
  /** Default: order (an approved order with intent capture). */
  what: ui(z.enum(['order', 'authorization']).default('order'), {
    title: 'Capture', description: 'What to capture', enumLabels: { order: 'An approved order', authorization: 'An authorization (intent authorize)' },
  }),
  orderId: orderIdProp.optional(),
  authorizationId: ui(idText(z.string().trim()).default(''), { title: 'Authorization id', description: 'For an authorization' }),
  /** Default: empty, the whole authorized amount. */
  amount: ui(z.union([z.string().trim(), z.number()]).default(''), { title: 'Amount', description: 'Authorization only; empty captures all of it' }),
  currency: ui(z.string().trim().default(''), { title: 'Currency', description: 'With an amount' }),
});

/**
 * Captures an approved order, or an authorization (in full or for less), with PayPal-Request-Id = the
 * step's idempotency key: a repeat gets PayPal's stored capture, never a second one. An order the
 * payer has not approved fails with `paypal_order_not_approved`.
 */
export default defineNode({
  type: 'paypal.capture',
  version: 1,
  title: 'PayPal: capture',
  category: 'Payments',
  description: 'Captures an approved order or an authorized payment',
  icon: 'card',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const client = clientFor(ctx);
    if (p.what === 'order') {
      if (!p.orderId) throw new NonRetryableError('enter the order id to capture', { code: 'invalid_props' });
      const order = await client.captureOrder(p.orderId, requestId(ctx));
      const { captureId, captureAmount } = paymentsOf(order);
      await recordPayments(ctx, 'paypal', [
        { objectType: 'order', providerId: p.orderId, status: 'captured', related: captureId ? { paymentId: captureId } : {} },
        ...(captureId ? [{ objectType: 'payment', providerId: captureId, amount: captureAmount?.minor, currency: captureAmount?.currency, status: 'captured' as const, related: { orderId: p.orderId } }] : []),
      ]);
      const main: JsonObject = { orderId: order.id ?? p.orderId, status: order.status ?? null, captureId, order };
      return { main };
    }
    if (!p.authorizationId) throw new NonRetryableError('enter the authorization id to capture', { code: 'invalid_props' });
    const amountText = String(p.amount).trim();
    const money = amountText === '' ? undefined : parseAmount(amountText, p.currency);
    const capture = await client.captureAuthorization(p.authorizationId, requestId(ctx), money);
    const amount = minorOf(capture.amount);
    if (typeof capture.id === 'string') {
      await recordPayments(ctx, 'paypal', [
        { objectType: 'payment', providerId: capture.id, amount: amount?.minor, currency: amount?.currency, status: 'captured', related: { authorizationId: p.authorizationId } },
        { objectType: 'authorization', providerId: p.authorizationId, status: 'captured', related: { paymentId: capture.id } },
      ]);
    }
    const main: JsonObject = { authorizationId: p.authorizationId, captureId: capture.id ?? null, status: capture.status ?? null, amount: amount?.minor ?? null, currency: amount?.currency ?? null, capture };
    return { main };
  },
});
