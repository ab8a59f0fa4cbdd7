import { NonRetryableError } from '@switchyard/sdk';

/** An outbound request the SSRF guard refused. Not retried: the same address would be refused again. */
export class OutboundBlockedError extends NonRetryableError {
  override name = 'OutboundBlockedError';
  constructor(readonly host: string, readonly reason: string) {
    super(`outbound request to "${host}" blocked: ${reason} (add it to SWITCHYARD_OUTBOUND_ALLOW to permit it)`, {
      code: 'outbound_blocked',
      details: [{ host, reason }],
    });
  }
}
