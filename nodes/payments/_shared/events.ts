import type { Json, JsonObject } from '@switchyard/sdk';

/** Where a payment object is in its life (the ledger's status history uses the same words). */
export type PaymentStatus = 'created' | 'authorized' | 'captured' | 'partially_refunded' | 'refunded' | 'failed' | 'expired' | 'voided';

/**
 * How far along each status is: a late or repeated webhook never moves a payment back (a
 * `payment.authorized` arriving after `payment.captured` leaves it captured). Failed, expired and
 * voided end a payment that was not captured; refunds come after capture.
 */
export const STATUS_RANK: Record<PaymentStatus, number> = {
  created: 0, authorized: 1, failed: 2, expired: 2, voided: 2, captured: 3, partially_refunded: 4, refunded: 5,
};

/** Whether `next` moves a payment forward from `current`. */
export function movesForward(current: PaymentStatus, next: PaymentStatus): boolean {
  if (next === 'partially_refunded' && current === 'partially_refunded') return true;
  return STATUS_RANK[next] > STATUS_RANK[current];
}

/** What a payment webhook trigger emits in `data` (and what the ledger and wait-for-payment read). */
export interface PaymentEventData {
  provider: 'razorpay' | 'paypal';
  /** The provider's event name: `payment.captured`, `PAYMENT.CAPTURE.COMPLETED`, … */
  event: string;
  /** Not `status`: the gateway's trigger input reserves that name for message delivery statuses. */
  paymentStatus: PaymentStatus;
  /** The objects this event is about, by the provider's ids. */
  orderId?: string;
  paymentLinkId?: string;
  paymentId?: string;
  refundId?: string;
  /** Minor units, when the event carries an amount. */
  amount?: number;
  currency?: string;
  /** The provider's payload, as sent. */
  raw: Json;
}

/** The wait event a `payments.wait-for-payment` parks on for one order or link of an account. */
export function paymentWaitEvent(credentialId: string, objectId: string): string {
  return `payment:${credentialId}:${objectId}`;
}

/** The wait events a payment event resolves: its order's, its link's and its payment's. */
export function paymentWaitEvents(credentialId: string, data: PaymentEventData): string[] {
  return [data.orderId, data.paymentLinkId, data.paymentId]
    .filter((id): id is string => typeof id === 'string' && id !== '')
    .map((id) => paymentWaitEvent(credentialId, id));
}

/** The event data as JSON (fields that are absent left out). */
export function paymentEventJson(data: PaymentEventData): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(data) as [string, Json | undefined][]) if (value !== undefined) out[key] = value;
  return out;
}
