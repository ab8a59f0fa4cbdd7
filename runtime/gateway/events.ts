import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { InboundEvent, Json } from '@switchyard/sdk';
import { findUnstorable, formatPath } from '../db/storable.js';
import { prepare, runPrepared } from '../db/prepared.js';

/** An event as recorded in `channel_events`, with what dispatch needs to know about its account. */
export interface RecordedEvent {
  /** The `channel_events` row id. */
  rowId: string;
  workspaceId: string;
  credentialId: string;
  /** The credential's kind (the channel). */
  channel: string;
  event: InboundEvent;
  /** Epoch ms, Postgres's clock. */
  receivedAt: number;
}

/** Longest provider event id kept (they are short; a longer one is a broken handler). */
const MAX_ID_CHARS = 500;

/**
 * Checks what a handler's `parse` (or a poller) returned before anything is recorded: ids present
 * and unique, types named, values Postgres can store. Returns a problem in plain words, or undefined.
 */
export function eventProblem(events: unknown): string | undefined {
  if (!Array.isArray(events)) return 'the handler returned no list of events';
  const seen = new Set<string>();
  for (const [index, event] of (events as InboundEvent[]).entries()) {
    if (typeof event !== 'object' || event === null) return `event ${index} is not an object`;
    if (typeof event.id !== 'string' || event.id === '' || event.id.length > MAX_ID_CHARS) return `event ${index} has no provider id`;
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    if (typeof event.type !== 'string' || event.type === '') return `event ${index} has no type`;
    if (event.contact !== undefined && (typeof event.contact?.id !== 'string' || event.contact.id === '')) return `event ${index} has a contact without an id`;
    const found = findUnstorable(event as unknown as Json);
    if (found) return `event ${index} cannot be stored: ${formatPath(found.path, 'event')} ${found.message}`;
  }
  return undefined;
}

/**
 * Records a delivery's events in one statement; an event whose provider id this account has seen
 * before is skipped (the unique index decides, so concurrent retries cannot both get in). Returns the
 * new ones. `dispatch_after` is when the sweep may take a still-pending event: by then the process
 * that recorded it has either dispatched it or died.
 */
const INSERT_EVENTS = prepare('gateway_insert_events', `
  insert into channel_events (id, workspace_id, credential_id, provider_event_id, type, contact_id, payload, dispatch_after)
  select e.id, ?::text, ?::text, e.pid, e.type, e.contact, e.payload, now() + make_interval(secs => ?::double precision)
  from jsonb_to_recordset(?::jsonb) as e(id text, pid text, type text, contact text, payload jsonb)
  on conflict (credential_id, provider_event_id) do nothing
  returning id, provider_event_id, (extract(epoch from received_at) * 1000)::float8 as received_at`);

export async function recordEvents(
  knex: Knex,
  account: { workspaceId: string; credentialId: string; channel: string },
  events: InboundEvent[],
  sweepAfterMs: number,
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  const rows = events.map((event) => ({ id: randomUUID(), pid: event.id, type: event.type, contact: event.contact?.id ?? null, payload: event }));
  const { rows: inserted } = await runPrepared(knex, INSERT_EVENTS, [account.workspaceId, account.credentialId, sweepAfterMs / 1000, JSON.stringify(rows)]);
  if (inserted.length === 0) return [];
  const byProviderId = new Map(events.map((event) => [event.id, event]));
  const fresh = new Map(inserted.map((row) => [String(row.provider_event_id), row]));
  // In delivery order: a contact's messages are dispatched in the order the provider sent them.
  const recorded: RecordedEvent[] = [];
  for (const [providerId, row] of fresh) {
    recorded.push({
      rowId: String(row.id), workspaceId: account.workspaceId, credentialId: account.credentialId, channel: account.channel,
      event: byProviderId.get(providerId)!, receivedAt: Number(row.received_at),
    });
  }
  const order = new Map(events.map((event, i) => [event.id, i]));
  return recorded.sort((a, b) => order.get(a.event.id)! - order.get(b.event.id)!);
}
