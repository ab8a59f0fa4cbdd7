import type { Knex } from 'knex';
import { isJsonObject } from '@switchyard/sdk';
import { paymentWaitEvent } from '../../nodes/payments/_shared/events.js';
import type { RecordedEvent } from '../gateway/events.js';

/** Statuses that end a `payments.wait-for-payment`. */
const ENDING = new Set(['captured', 'failed', 'expired', 'voided']);

/**
 * Resolves the `payments.wait-for-payment` steps parked on an order, link or payment a verified
 * payment event ends (wait event `payment:<credentialId>:<id>`), with the event's payments data as
 * the payload; returns the executions to continue. A wait whose timer already claimed the row is left
 * alone (`resolution is null`), so exactly one of the webhook and the timer resumes it.
 */
export async function resolvePaymentWaits(knex: Knex, batch: readonly RecordedEvent[]): Promise<string[]> {
  const executions: string[] = [];
  for (const recorded of batch) {
    const data = recorded.event.data;
    if (!isJsonObject(data) || typeof data.paymentStatus !== 'string' || !ENDING.has(data.paymentStatus)) continue;
    if (data.provider !== 'razorpay' && data.provider !== 'paypal') continue;
    const keys = [data.orderId, data.paymentLinkId, data.paymentId]
      .filter((id): id is string => typeof id === 'string' && id !== '')
      .map((id) => paymentWaitEvent(recorded.credentialId, id));
    if (keys.length === 0) continue;
    const resolution = { kind: 'event', name: keys[0], payload: { ...data, eventId: recorded.event.id } };
    const rows: { execution_id: string }[] = await knex('execution_waits')
      .whereIn('event', keys).whereNull('resolution').where({ workspace_id: recorded.workspaceId })
      .update({ resolution: JSON.stringify(resolution), resolved_at: new Date() }).returning('execution_id');
    executions.push(...rows.map((r) => r.execution_id));
  }
  return executions;
}
