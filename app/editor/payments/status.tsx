import type { LedgerPayment } from '../../../runtime/index.js';

/** The ledger's statuses in the order they can happen, with the words the page shows. */
export const PAYMENT_STATUSES = [
  { value: 'created', label: 'Created' },
  { value: 'authorized', label: 'Authorized' },
  { value: 'captured', label: 'Captured' },
  { value: 'partially_refunded', label: 'Partially refunded' },
  { value: 'refunded', label: 'Refunded' },
  { value: 'failed', label: 'Failed' },
  { value: 'expired', label: 'Expired' },
  { value: 'voided', label: 'Voided' },
] as const;

export const PAYMENT_PROVIDERS = [
  { value: 'razorpay', label: 'Razorpay' },
  { value: 'paypal', label: 'PayPal' },
] as const;

/** The badge colour of each status (the word is always shown too): money in is green, money not coming is red. */
const BADGE_CLASS: Record<string, string> = {
  created: 'queued', authorized: 'waiting', captured: 'succeeded', partially_refunded: 'waiting', refunded: 'cancelled',
  failed: 'failed', expired: 'failed', voided: 'cancelled',
};

const OBJECT_WORDS: Record<string, string> = {
  order: 'Order', payment_link: 'Payment link', payment: 'Payment', refund: 'Refund', authorization: 'Authorization', capture: 'Capture',
};

export function statusLabel(status: string): string {
  return PAYMENT_STATUSES.find((s) => s.value === status)?.label ?? status;
}

export function providerLabel(provider: string): string {
  return PAYMENT_PROVIDERS.find((p) => p.value === provider)?.label ?? provider;
}

export function objectLabel(objectType: string): string {
  return OBJECT_WORDS[objectType] ?? objectType;
}

export function PaymentStatusBadge({ status }: { status: string }) {
  return <span className={`badge ${BADGE_CLASS[status] ?? ''}`} data-status={status}>{statusLabel(status)}</span>;
}

/**
 * The amount as the ledger formatted it from integer minor units with the currency's ISO 4217
 * exponent ("499.00 INR", "500 JPY"); the page never divides money itself.
 */
export function amountLabel(p: Pick<LedgerPayment, 'amount' | 'amountText' | 'currency'>): string {
  if (p.amountText !== null && p.currency !== null) return `${p.amountText} ${p.currency}`;
  if (p.amount !== null) return `${p.amount} minor units${p.currency ? ` of ${p.currency}` : ''}`;
  return '—';
}

/** Whether the page offers a refund (the API refunds captured payments only, not their orders or links). */
export function refundable(p: Pick<LedgerPayment, 'objectType' | 'status'>): boolean {
  return p.objectType === 'payment' && (p.status === 'captured' || p.status === 'partially_refunded');
}
