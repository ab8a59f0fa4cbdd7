import { z } from 'zod';
import { ui, type NodeContext } from '@switchyard/sdk';
import { idText } from '../_shared/props.js';
import { PayPalClient } from './client.js';
import { PAYPAL_KIND } from './credential.js';

/** The account slot every PayPal node declares. */
export const credentialSlots = { account: { kind: PAYPAL_KIND, title: 'PayPal account' } } as const;

/** The step's client: the SDK over `ctx.http`, aborted with the step. */
export function clientFor(ctx: NodeContext<typeof credentialSlots>): PayPalClient {
  return new PayPalClient(ctx.http, ctx.credentials.account.fields, ctx.signal);
}

export const orderIdProp = ui(idText(z.string().trim().min(1, 'enter the PayPal order id')), { title: 'Order id', description: 'PayPal\'s order id, from Create order', placeholder: '{{ $json.orderId }}' });

/**
 * PayPal-Request-Id for this step: the step's idempotency key (PayPal keeps it for hours), so a retry,
 * a worker killed after PayPal answered or a re-run gets PayPal's stored answer instead of a new charge.
 */
export function requestId(ctx: NodeContext<typeof credentialSlots>): string {
  return ctx.idempotencyKey;
}
