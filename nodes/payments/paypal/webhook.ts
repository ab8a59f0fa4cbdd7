import { InboundPayloadError, isJsonObject, type InboundHandler, type Json, type JsonObject } from '@switchyard/sdk';
import { paymentEventJson, type PaymentEventData, type PaymentStatus } from '../_shared/events.js';
import { minorOf, PayPalClient } from './client.js';

/** The headers PayPal signs a delivery with; all must be present. */
export const TRANSMISSION_HEADERS = ['paypal-transmission-id', 'paypal-transmission-time', 'paypal-transmission-sig', 'paypal-cert-url', 'paypal-auth-algo'] as const;

/** The events the trigger offers. */
export const PAYPAL_EVENTS = [
  'CHECKOUT.ORDER.APPROVED', 'CHECKOUT.ORDER.COMPLETED', 'PAYMENT.AUTHORIZATION.CREATED', 'PAYMENT.AUTHORIZATION.VOIDED',
  'PAYMENT.CAPTURE.COMPLETED', 'PAYMENT.CAPTURE.DENIED', 'PAYMENT.CAPTURE.PENDING', 'PAYMENT.CAPTURE.REFUNDED', 'PAYMENT.CAPTURE.REVERSED',
] as const;

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * PayPal webhooks (https://developer.paypal.com/api/rest/webhooks/): `verify` refuses a delivery
 * without PayPal's transmission headers (401); `confirm` asks PayPal's verify-webhook-signature with the
 * webhook id configured on the credential — never the id inside the event — in sandbox as in live
 * (403 on FAILURE). Deduplicated by the event's `id` (a redelivery carries the same one).
 */
export const paypalInbound: InboundHandler = {
  verify(delivery, account) {
    const missing = TRANSMISSION_HEADERS.find((name) => !delivery.headers[name]);
    if (missing) return { status: 401, reason: `the ${missing} header is missing` };
    if (!account.fields.webhookId) return { status: 403, reason: 'this PayPal account has no webhook id; copy it from the app\'s Webhooks list in the developer dashboard' };
    return undefined;
  },
  async confirm(delivery, account, io) {
    const client = new PayPalClient(io.http, account.fields, io.signal);
    const genuine = await client.verifyWebhook(delivery.headers, delivery.rawBody, account.fields.webhookId ?? '');
    return genuine ? undefined : { status: 403, reason: 'PayPal did not verify the signature for this account\'s webhook id' };
  },
  parse(delivery) {
    let body: Json;
    try {
      body = JSON.parse(decoder.decode(delivery.rawBody)) as Json;
    } catch {
      throw new InboundPayloadError('the body is not a JSON PayPal webhook event (invalid UTF-8 or JSON)');
    }
    if (!isJsonObject(body) || typeof body.id !== 'string' || typeof body.event_type !== 'string' || !isJsonObject(body.resource)) {
      throw new InboundPayloadError('the body is not a PayPal webhook event: it needs "id", "event_type" and "resource"');
    }
    const at = typeof body.create_time === 'string' ? Date.parse(body.create_time) : NaN;
    return [{
      id: body.id, type: body.event_type, data: paymentEventJson(paypalEventData(body.event_type, body.resource, body)),
      ...(Number.isFinite(at) ? { at } : {}),
    }];
  },
};

const str = (value: Json | undefined) => (typeof value === 'string' && value !== '' ? value : undefined);

/** A PayPal event in the payments family's shape. */
export function paypalEventData(event: string, resource: JsonObject, raw: Json): PaymentEventData {
  const related = isJsonObject(resource.supplementary_data) && isJsonObject(resource.supplementary_data.related_ids) ? resource.supplementary_data.related_ids : {};
  const isOrder = event.startsWith('CHECKOUT.ORDER.');
  const unitAmount = isOrder && Array.isArray(resource.purchase_units) && isJsonObject(resource.purchase_units[0]) ? resource.purchase_units[0].amount : undefined;
  const amount = minorOf(resource.amount ?? unitAmount);
  const refundEvent = event === 'PAYMENT.CAPTURE.REFUNDED' || event === 'PAYMENT.CAPTURE.REVERSED';
  return {
    provider: 'paypal', event, paymentStatus: statusOf(event), raw,
    orderId: isOrder ? str(resource.id) : str(related.order_id),
    // A refund event's resource is the refund; capture and authorization events' are the payment.
    paymentId: refundEvent ? undefined : event.startsWith('PAYMENT.') ? str(resource.id) : undefined,
    refundId: refundEvent ? str(resource.id) : undefined,
    amount: amount?.minor,
    currency: amount?.currency,
  };
}

function statusOf(event: string): PaymentStatus {
  switch (event) {
    case 'CHECKOUT.ORDER.APPROVED': case 'PAYMENT.AUTHORIZATION.CREATED': return 'authorized';
    case 'CHECKOUT.ORDER.COMPLETED': case 'PAYMENT.CAPTURE.COMPLETED': return 'captured';
    case 'PAYMENT.CAPTURE.DENIED': return 'failed';
    case 'PAYMENT.AUTHORIZATION.VOIDED': return 'voided';
    case 'PAYMENT.CAPTURE.REFUNDED': case 'PAYMENT.CAPTURE.REVERSED': return 'refunded';
    default: return 'created';
  }
}
