import { z } from 'zod';
import { defineCredentialKind, ui } from '@switchyard/sdk';
import { PAYPAL_SANDBOX, PayPalClient } from './client.js';
import { paypalInbound } from './webhook.js';

export const PAYPAL_KIND = 'paypal';

const schema = z.object({
  clientId: ui(z.string().trim().min(1, 'paste the app\'s client id'), {
    title: 'Client id', description: 'developer.paypal.com → Apps & Credentials → your app', expression: false,
  }),
  clientSecret: ui(z.string().trim().min(1, 'paste the app\'s secret'), { title: 'Secret', secret: true, expression: false }),
  /** Default: sandbox. */
  environment: ui(z.enum(['sandbox', 'live']).default('sandbox'), {
    title: 'Environment', enumLabels: { sandbox: 'Sandbox (test money)', live: 'Live' },
  }),
  webhookId: ui(z.string().trim().optional(), {
    title: 'Webhook id',
    description: 'The id PayPal shows for the webhook you added with this account\'s callback URL; every delivery is verified with PayPal against it',
    expression: false,
  }),
  /** Default: the environment's API host (https://api-m.sandbox.paypal.com or https://api-m.paypal.com). */
  baseUrl: ui(z.url({ protocol: /^https?$/, error: 'the API URL must be an http(s) address' }).optional(), {
    title: 'API URL', description: 'Leave empty for PayPal\'s own host for the environment; set it for a proxy or a local fake',
    placeholder: PAYPAL_SANDBOX, group: 'Advanced', expression: false,
  }),
});

/** A PayPal REST app: client id and secret, sandbox or live, and the webhook id for verified events. Test connection gets a token. */
export default defineCredentialKind({
  kind: PAYPAL_KIND,
  title: 'PayPal',
  description: 'A PayPal REST app\'s client id and secret (sandbox or live) and its webhook id',
  schema,
  inbound: paypalInbound,
  async test(fields, ctx) {
    const client = new PayPalClient(ctx.http, fields, ctx.signal);
    try {
      await client.getOrder('SWITCHYARD-CONNECTION-TEST');
    } catch (error) {
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
      // A 404 for a made-up order means the token call and the API both worked.
      if (code === 'paypal_invalid_resource_id' || code === 'paypal_resource_not_found') {
        return { ok: true, message: `Connected to PayPal (${fields.environment === 'live' ? 'live' : 'sandbox'}).${fields.webhookId ? '' : ' Add the webhook id to receive payment events.'}` };
      }
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, message: /invalid_client|Client Authentication failed|401/.test(message) ? 'PayPal refused the client id and secret. Check they belong to this environment (sandbox and live apps differ).' : message };
    }
    return { ok: true, message: 'Connected to PayPal.' };
  },
});
