import { NodeError, NonRetryableError } from '@switchyard/sdk';

/** What a provider said when it refused a call: carried on the step error as `details`. */
export interface ProviderFailure {
  provider: string;
  /** HTTP status of the provider's answer. */
  status: number;
  /** The provider's own error code (Graph `131047`, Telegram `403`, Twilio `21211`), when it gave one. */
  providerCode?: string | number;
  message: string;
  /** Seconds the provider asked us to wait (429 `Retry-After`, Telegram `retry_after`). */
  retryAfterSeconds?: number;
}

/**
 * A provider error as a step error: 429 and 5xx are worth a retry (the runtime's retry settings
 * apply), any other 4xx fails the same way again and is not retried. The message starts with the
 * provider and its code so the execution view says what happened without opening details.
 */
export function providerError(failure: ProviderFailure, code = 'provider_error'): NodeError {
  const message = `${failure.provider}${failure.providerCode !== undefined ? ` error ${failure.providerCode}` : ''} (HTTP ${failure.status}): ${failure.message}`;
  const options = { code, details: { ...failure } };
  return failure.status === 429 || failure.status >= 500 ? new NodeError(message, options) : new NonRetryableError(message, options);
}
