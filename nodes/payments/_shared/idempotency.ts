import { createHash } from 'node:crypto';

/**
 * A provider-sized reference derived from a step's idempotency key (`executionId:stepKey`): Razorpay
 * caps `receipt` and `reference_id` at 40 characters and the key is longer. The same key always
 * gives the same reference, so a retried or replayed step finds what its first try created.
 */
export function stepReference(idempotencyKey: string): string {
  return `sy_${createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 32)}`;
}
