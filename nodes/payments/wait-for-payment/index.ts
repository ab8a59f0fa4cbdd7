import { z } from 'zod';
import { defineNode, isJsonObject, NonRetryableError, ui, type Json, type NodeContext } from '@switchyard/sdk';
import { paymentWaitEvent } from '../_shared/events.js';
import { idText } from '../_shared/props.js';
import { PayPalClient } from '../paypal/client.js';
import { RazorpayClient } from '../razorpay/client.js';

const credentials = { account: { kind: ['razorpay', 'paypal'], title: 'Payment account' } } as const;

const props = z.object({
  /** Default: payment_link. */
  object: ui(z.enum(['payment_link', 'order']).default('payment_link'), {
    title: 'Wait for', description: 'What the id names', enumLabels: { payment_link: 'A Razorpay payment link (plink_…)', order: 'An order (Razorpay order_… or PayPal order id)' },
  }),
  id: ui(idText(z.string().trim().min(1, 'enter the order or payment link id')), {
    title: 'Id', description: 'From the create step, e.g. {{ $json.paymentLinkId }}', placeholder: '{{ $json.paymentLinkId }}',
  }),
  /** Default: 60. */
  timeoutMinutes: ui(z.number().min(0.01).max(60 * 24 * 30).default(60), {
    title: 'Ask the provider after (minutes)',
    description: 'If no webhook settled it by then, the provider is asked once: paid goes to paid, anything else to expired',
  }),
});

type Outcome = 'paid' | 'failed' | 'expired' | 'pending';

/** Where a provider's status leaves the wait. */
async function providerOutcome(ctx: NodeContext<typeof credentials>, p: z.infer<typeof props>): Promise<{ outcome: Outcome; status: Json }> {
  const { kind, fields } = ctx.credentials.account;
  if (kind === 'paypal') {
    const order = await new PayPalClient(ctx.http, fields, ctx.signal).getOrder(p.id);
    const status = order.status ?? null;
    return { outcome: status === 'COMPLETED' ? 'paid' : status === 'VOIDED' ? 'failed' : 'pending', status };
  }
  const entity = await new RazorpayClient(ctx.http, fields, ctx.signal).fetch(p.object, p.id);
  const status = entity.status ?? null;
  if (status === 'paid') return { outcome: 'paid', status };
  if (status === 'expired' || status === 'cancelled') return { outcome: 'expired', status };
  return { outcome: 'pending', status };
}

function outcomeOfEvent(payload: Json): Outcome {
  const status = isJsonObject(payload) ? payload.paymentStatus : undefined;
  if (status === 'captured') return 'paid';
  if (status === 'failed') return 'failed';
  return 'expired';
}

/**
 * Parks the execution durably until the order or payment link is settled: resumed by the account's
 * verified payment webhook (paid → `paid`, failed → `failed`, expired/cancelled/voided → `expired`),
 * or, if none arrived within the time set, by asking the provider once (paid → `paid`, else
 * `expired`). It asks the provider first too, so a link paid before the step ran goes straight on.
 */
export default defineNode({
  type: 'payments.wait-for-payment',
  version: 1,
  title: 'Wait for payment',
  category: 'Payments',
  description: 'Waits until an order or payment link is paid, fails or expires (webhook, or the provider asked at a set time)',
  icon: 'hourglass',
  props,
  credentials,
  ports: { in: ['main'], out: ['paid', 'failed', 'expired'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    if (ctx.credentials.account.kind === 'paypal' && p.object === 'payment_link') {
      throw new NonRetryableError('PayPal has no payment links here: wait for an order', { code: 'invalid_props' });
    }
    const base = { object: p.object, id: p.id };
    if (ctx.resumed?.kind === 'event') {
      const outcome = outcomeOfEvent(ctx.resumed.payload);
      return { [outcome]: { ...base, via: 'webhook', event: ctx.resumed.payload } };
    }
    const asked = await providerOutcome(ctx, p);
    if (asked.outcome !== 'pending') return { [asked.outcome]: { ...base, via: 'provider', providerStatus: asked.status } };
    if (ctx.resumed?.kind === 'timer') return { expired: { ...base, via: 'timeout', providerStatus: asked.status } };
    const credentialId = ctx.credentials.account.id;
    if (!credentialId) throw new NonRetryableError('the payment account has no id to wait on', { code: 'invalid_credentials' });
    return ctx.wait({ event: paymentWaitEvent(credentialId, p.id), until: Date.now() + p.timeoutMinutes * 60_000 });
  },
});
