/** One payment object as a payment node reports it to the ledger (decision 034). */
export interface PaymentObjectRecord {
  /** `razorpay`, `paypal`. */
  provider: string;
  /** The account (credential id) it belongs to. */
  credentialId: string;
  /** `order`, `payment_link`, `payment`, `refund`, `authorization`, `capture`. */
  objectType: string;
  /** The provider's id of it. */
  providerId: string;
  /** Integer minor units. */
  amount?: number;
  /** ISO 4217. */
  currency?: string;
  /** created | authorized | captured | partially_refunded | refunded | failed | expired | voided. */
  status: string;
  /** The provider's ids of related objects (`orderId`, `paymentId`, …). */
  related?: Record<string, string>;
}

/** What payment nodes get as `ctx.payments` (built-in nodes; undefined where the runtime keeps no ledger). */
export interface PaymentCapabilities {
  /** Records (or moves forward) the object in the workspace's ledger, linked to this step's flow and execution. */
  record(object: PaymentObjectRecord): Promise<void>;
}
