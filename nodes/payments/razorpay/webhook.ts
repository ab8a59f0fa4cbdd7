import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { InboundPayloadError, isJsonObject, type InboundEvent, type InboundHandler, type Json } from '@switchyard/sdk';
import { paymentEventJson, type PaymentEventData, type PaymentStatus } from '../_shared/events.js';

export const SIGNATURE_HEADER = 'x-razorpay-signature';
export const EVENT_ID_HEADER = 'x-razorpay-event-id';

/** The events the trigger offers (Razorpay sends others too; they are recorded and can be filtered). */
export const RAZORPAY_EVENTS = [
  'payment.authorized', 'payment.captured', 'payment.failed', 'order.paid', 'payment_link.paid', 'payment_link.partially_paid',
  'payment_link.expired', 'payment_link.cancelled', 'refund.processed', 'refund.failed',
] as const;

/** Razorpay's signature: HMAC-SHA256 of the exact body with the webhook secret, hex. */
export function razorpaySignature(body: Uint8Array | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Whether `given` is the signature of `body`, compared in constant time over the decoded bytes
 * (a hex string of the wrong length or with non-hex characters is simply not it).
 */
export function validSignature(body: Uint8Array | string, given: string, secret: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(given)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Razorpay webhooks (https://razorpay.com/docs/webhooks/): `X-Razorpay-Signature` over the raw bytes
 * with the webhook secret set on the dashboard (the credential's), checked before anything else; one
 * event per delivery, deduplicated by `X-Razorpay-Event-Id` (a retry carries the same id).
 */
export const razorpayInbound: InboundHandler = {
  verify(delivery, account) {
    const given = delivery.headers[SIGNATURE_HEADER];
    if (!given) return { status: 401, reason: 'the X-Razorpay-Signature header is missing' };
    const secret = account.fields.webhookSecret ?? '';
    if (secret === '') return { status: 403, reason: 'this Razorpay account has no webhook secret; set the one from the dashboard\'s webhook settings' };
    if (!validSignature(delivery.rawBody, given, secret)) return { status: 403, reason: 'the X-Razorpay-Signature header does not match this account\'s webhook secret' };
    return undefined;
  },
  parse(delivery) {
    let body: Json;
    try {
      body = JSON.parse(decoder.decode(delivery.rawBody)) as Json;
    } catch {
      throw new InboundPayloadError('the body is not a JSON Razorpay webhook (invalid UTF-8 or JSON)');
    }
    if (!isJsonObject(body) || typeof body.event !== 'string' || !isJsonObject(body.payload)) {
      throw new InboundPayloadError('the body is not a Razorpay webhook: it needs "event" and "payload"');
    }
    // Razorpay always sends the event id; without it, the body's hash still dedupes a byte-identical retry.
    const id = delivery.headers[EVENT_ID_HEADER] || `sha256:${createHash('sha256').update(delivery.rawBody).digest('hex')}`;
    const event: InboundEvent = {
      id, type: body.event, data: paymentEventJson(razorpayEventData(body.event, body.payload, body)),
      ...(typeof body.created_at === 'number' ? { at: body.created_at * 1000 } : {}),
    };
    return [event];
  },
};

function entityOf(payload: { [key: string]: Json }, name: string): { [key: string]: Json } | undefined {
  const wrapper = payload[name];
  if (!isJsonObject(wrapper) || !isJsonObject(wrapper.entity)) return undefined;
  return wrapper.entity;
}

const str = (value: Json | undefined) => (typeof value === 'string' && value !== '' ? value : undefined);
const int = (value: Json | undefined) => (typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined);

/** A Razorpay event in the payments family's shape (status, ids, amount in minor units). */
export function razorpayEventData(event: string, payload: { [key: string]: Json }, raw: Json): PaymentEventData {
  const payment = entityOf(payload, 'payment');
  const order = entityOf(payload, 'order');
  const link = entityOf(payload, 'payment_link');
  const refund = entityOf(payload, 'refund');
  const main = refund ?? link ?? order ?? payment;
  return {
    provider: 'razorpay', event, paymentStatus: statusOf(event, payment, refund), raw,
    orderId: str(payment?.order_id) ?? str(order?.id) ?? str(link?.order_id),
    paymentLinkId: str(link?.id) ?? str(payment?.payment_link_id),
    paymentId: str(payment?.id) ?? str(refund?.payment_id),
    refundId: str(refund?.id),
    amount: int(main?.amount),
    currency: str(main?.currency),
  };
}

function statusOf(event: string, payment: { [key: string]: Json } | undefined, refund: { [key: string]: Json } | undefined): PaymentStatus {
  switch (event) {
    case 'payment.authorized': return 'authorized';
    case 'payment.captured': case 'order.paid': case 'payment_link.paid': return 'captured';
    case 'payment.failed': return 'failed';
    case 'payment_link.expired': case 'payment_link.cancelled': return 'expired';
    case 'refund.processed': case 'refund.created': {
      const refunded = int(payment?.amount_refunded);
      const amount = int(payment?.amount);
      return refunded !== undefined && amount !== undefined && refunded < amount ? 'partially_refunded'
        : refund && amount !== undefined && int(refund.amount) !== undefined && int(refund.amount)! < amount && refunded === undefined ? 'partially_refunded' : 'refunded';
    }
    default: return 'created';
  }
}
