import type { PaymentCapabilities, PaymentObjectRecord } from '@switchyard/sdk';
import type { PaymentStatus } from './events.js';

/** What a payment step records: the object without its provider and account (the step knows them). */
export interface StepPaymentObject extends Omit<PaymentObjectRecord, 'provider' | 'credentialId' | 'status'> {
  status: PaymentStatus;
}

/**
 * Records what a step created or moved in the workspace's ledger (`ctx.payments`), linked to the
 * step's flow and execution. Nothing when the runtime keeps no ledger (unit tests, plugins) or the
 * account has no id. A repeat of the step records onto the same rows: the ledger is keyed by the
 * provider's ids and only moves statuses forward.
 */
export async function recordPayments(
  ctx: { payments?: PaymentCapabilities; credentials: { account: { id?: string } } },
  provider: 'razorpay' | 'paypal',
  objects: readonly StepPaymentObject[],
): Promise<void> {
  const credentialId = ctx.credentials.account.id;
  if (!ctx.payments || !credentialId) return;
  for (const object of objects) {
    if (object.providerId === '') continue;
    await ctx.payments.record({ ...object, provider, credentialId });
  }
}
