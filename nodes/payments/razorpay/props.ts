import type { NodeContext } from '@switchyard/sdk';
import { RazorpayClient } from './client.js';
import { RAZORPAY_KIND } from './credential.js';

/** The account slot every Razorpay node declares. */
export const credentialSlots = { account: { kind: RAZORPAY_KIND, title: 'Razorpay account' } } as const;

/** The step's client: the SDK over `ctx.http`, aborted with the step. */
export function clientFor(ctx: NodeContext<typeof credentialSlots>): RazorpayClient {
  return new RazorpayClient(ctx.http, ctx.credentials.account.fields, ctx.signal);
}
