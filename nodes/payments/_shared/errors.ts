import { NodeError, NonRetryableError } from '@switchyard/sdk';

/** What a provider said when it refused a call: enough to route on, never a secret. */
export interface ProviderFailure {
  provider: 'razorpay' | 'paypal';
  /** HTTP status, or 0 when the provider could not be reached. */
  status: number;
  /** The provider's own code: Razorpay `BAD_REQUEST_ERROR`, PayPal `ORDER_NOT_APPROVED`, … */
  providerCode: string;
  /** The provider's description, as it wrote it. */
  message: string;
  /** The field the provider blamed, when it named one. */
  field?: string;
}

/**
 * A provider refused the call (4xx): retrying the same request cannot succeed, so the step fails at
 * once with the provider's code, and a flow routes it with `onError`. Code: `<provider>_<code>` in
 * lower case, e.g. `razorpay_bad_request_error`, `paypal_order_not_approved`.
 */
export class PaymentRefusedError extends NonRetryableError {
  override name = 'PaymentRefusedError';
  constructor(failure: ProviderFailure) {
    super(`${providerName(failure.provider)} refused the request: ${failure.message}`, {
      code: `${failure.provider}_${failure.providerCode.toLowerCase()}`,
      details: { provider: failure.provider, status: failure.status, providerCode: failure.providerCode, ...(failure.field ? { field: failure.field } : {}) },
    });
  }
}

/** The provider failed or could not be reached (5xx, 429, network): the step's retry policy applies. */
export class PaymentUnavailableError extends NodeError {
  override name = 'PaymentUnavailableError';
  constructor(failure: ProviderFailure) {
    super(failure.status === 0
      ? `${providerName(failure.provider)} could not be reached: ${failure.message}`
      : `${providerName(failure.provider)} answered ${failure.status}: ${failure.message}`, {
      code: failure.status === 0 ? `${failure.provider}_unreachable` : `${failure.provider}_unavailable`,
      details: { provider: failure.provider, status: failure.status, providerCode: failure.providerCode },
    });
  }
}

/** The error a failure becomes: refused (4xx but 408/429) or unavailable (the rest). */
export function providerError(failure: ProviderFailure): NodeError {
  const retryable = failure.status === 0 || failure.status === 408 || failure.status === 429 || failure.status >= 500;
  return retryable ? new PaymentUnavailableError(failure) : new PaymentRefusedError(failure);
}

/** Our own rule broke before any call (refund larger than captured, a receipt reused for another amount). */
export function paymentRule(message: string, code: string, details?: unknown): NonRetryableError {
  return new NonRetryableError(message, { code, details });
}

function providerName(provider: ProviderFailure['provider']): string {
  return provider === 'razorpay' ? 'Razorpay' : 'PayPal';
}
