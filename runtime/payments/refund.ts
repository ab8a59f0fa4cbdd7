import { z } from 'zod';
import { NodeError, NonRetryableError, type CredentialValue, type HttpClient, type Json } from '@switchyard/sdk';
import { stepReference } from '../../nodes/payments/_shared/idempotency.js';
import { parseAmount } from '../../nodes/payments/_shared/money.js';
import { minorOf, PayPalClient } from '../../nodes/payments/paypal/client.js';
import { RazorpayClient } from '../../nodes/payments/razorpay/client.js';
import { AppError, NotFoundError } from '../errors.js';
import type { PaymentLedger } from './ledger.js';

/** `POST /api/payments/:id/refund`. */
export const refundInput = z.object({
  /** In the payment's major unit ("100.00"); absent refunds everything not yet refunded. */
  amount: z.string().trim().min(1).max(40).optional(),
  /**
   * Chosen by the caller per refund it means (the page makes one per confirmation): the same key
   * again returns the same refund, never a second one.
   */
  idempotencyKey: z.string().trim().min(8, 'send an idempotency key of 8 or more characters, one per refund you mean').max(100),
  /** Razorpay only. Default: normal. */
  speed: z.enum(['normal', 'optimum']).optional(),
});

export interface RefundDeps {
  ledger: PaymentLedger;
  http: HttpClient;
  loadCredentials(workspaceId: string, ids: string[]): Promise<Map<string, CredentialValue>>;
}

/**
 * Refunds a captured payment of the ledger through the same client logic the refund nodes use
 * (Razorpay's receipt lookup, PayPal-Request-Id), records the refund and the payment's new status
 * with source `api`, and returns the payment with its history and the provider's refund.
 */
export async function refundPayment(deps: RefundDeps, workspaceId: string, id: string, input: z.infer<typeof refundInput>) {
  const found = await deps.ledger.get(workspaceId, id);
  if (!found) throw new NotFoundError('payment', id);
  const { payment } = found;
  if (payment.objectType !== 'payment') {
    throw new AppError(400, 'not_refundable', `a ${payment.objectType} cannot be refunded; refund its payment`, [{ objectType: payment.objectType }]);
  }
  if (payment.status !== 'captured' && payment.status !== 'partially_refunded') {
    throw new AppError(409, 'not_refundable', `payment ${payment.providerId} is ${payment.status}; only a captured payment can be refunded`);
  }
  const credential = (await deps.loadCredentials(workspaceId, [payment.credentialId])).get(payment.credentialId);
  if (!credential) throw new AppError(409, 'account_missing', 'the payment\'s account (credential) no longer exists');
  const key = `api:${payment.id}:${input.idempotencyKey}`;
  try {
    let refund: Json & { [key: string]: Json };
    let refunded: { minor?: number; currency?: string };
    if (payment.provider === 'razorpay') {
      const client = new RazorpayClient(deps.http, credential.fields);
      const currency = payment.currency ?? 'INR';
      const amount = input.amount === undefined ? undefined : parseAmount(input.amount, currency).minor;
      const result = await client.refundOnce(payment.providerId, amount, input.speed ?? 'normal', stepReference(key), { switchyard: 'refund from the payments page' });
      refund = result.refund;
      refunded = { minor: typeof refund.amount === 'number' ? refund.amount : undefined, currency };
    } else {
      const client = new PayPalClient(deps.http, credential.fields);
      const money = input.amount === undefined ? undefined : parseAmount(input.amount, payment.currency ?? 'USD');
      refund = await client.refundCapture(payment.providerId, key, money);
      const amount = minorOf(refund.amount);
      refunded = { minor: amount?.minor, currency: amount?.currency };
    }
    const refundId = typeof refund.id === 'string' ? refund.id : `${payment.providerId}:refund`;
    const full = input.amount === undefined || (refunded.minor !== undefined && payment.amount !== null && refunded.minor >= payment.amount);
    await deps.ledger.record(workspaceId, {
      provider: payment.provider, credentialId: payment.credentialId, objectType: 'refund', providerId: refundId,
      amount: refunded.minor, currency: refunded.currency, status: 'refunded', related: { paymentId: payment.providerId },
    }, { source: 'api' });
    await deps.ledger.record(workspaceId, {
      provider: payment.provider, credentialId: payment.credentialId, objectType: 'payment', providerId: payment.providerId,
      status: full ? 'refunded' : 'partially_refunded', related: { refundId },
    }, { source: 'api' });
    return { ...(await deps.ledger.get(workspaceId, id))!, refund };
  } catch (error) {
    if (error instanceof NonRetryableError) {
      const details = error.details === undefined ? [] : [error.details];
      throw new AppError(error.name === 'PaymentRefusedError' ? 422 : 400, error.code, error.message, details);
    }
    if (error instanceof NodeError) throw new AppError(502, error.code, error.message);
    throw error;
  }
}

/** What `runtime.payments` offers the app: the ledger and refunds from it. */
export interface PaymentService extends Pick<PaymentLedger, 'list' | 'get'> {
  refund(workspaceId: string, id: string, input: z.infer<typeof refundInput>): ReturnType<typeof refundPayment>;
}
