import { z } from 'zod';
import { defineCredentialKind, ui } from '@switchyard/sdk';
import { RAZORPAY_API, RazorpayClient } from './client.js';
import { razorpayInbound } from './webhook.js';

export const RAZORPAY_KIND = 'razorpay';

const schema = z.object({
  keyId: ui(z.string().trim().regex(/^rzp_(test|live)_[A-Za-z0-9]+$/, 'a Razorpay key id looks like rzp_test_… or rzp_live_…'), {
    title: 'Key id', description: 'Dashboard → Account & Settings → API keys', placeholder: 'rzp_test_…', expression: false,
  }),
  keySecret: ui(z.string().trim().min(1, 'paste the key secret shown when the key was generated'), {
    title: 'Key secret', secret: true, expression: false,
  }),
  webhookSecret: ui(z.string().min(1).optional(), {
    title: 'Webhook secret',
    description: 'The secret you typed when adding the webhook (Dashboard → Webhooks) with this account\'s callback URL; every delivery is checked against it',
    secret: true, expression: false,
  }),
  /** Default: https://api.razorpay.com. */
  baseUrl: ui(z.url({ protocol: /^https?$/, error: 'the API URL must be an http(s) address' }).optional(), {
    title: 'API URL', description: 'Leave empty for https://api.razorpay.com; set it for a proxy or a local fake',
    placeholder: RAZORPAY_API, group: 'Advanced', expression: false,
  }),
});

/** A Razorpay account: API key (test or live) and the webhook secret. Test connection lists one order. */
export default defineCredentialKind({
  kind: RAZORPAY_KIND,
  title: 'Razorpay',
  description: 'An API key pair from the Razorpay dashboard, and the webhook secret for payment events',
  schema,
  inbound: razorpayInbound,
  async test(fields, ctx) {
    const client = new RazorpayClient(ctx.http, fields, ctx.signal);
    try {
      await client.call((sdk) => sdk.orders.all({ count: 1 }));
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, message: /Authentication failed|401/.test(message) ? 'Razorpay refused the key id and secret (Authentication failed). Copy both again from Dashboard → API keys.' : message };
    }
    const mode = (fields.keyId ?? '').startsWith('rzp_live_') ? 'live' : 'test';
    return { ok: true, message: `Connected to Razorpay in ${mode} mode.${fields.webhookSecret ? '' : ' Add the webhook secret to receive payment events.'}` };
  },
});
