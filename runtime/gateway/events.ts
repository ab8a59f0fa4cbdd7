import { timeOrderedId } from '../db/ids.js';
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
 * Records deliveries' events, at most one statement per delivery: deliveries that arrive while the
 * statements in flight (two) are being written go into the next one together (group commit), so under
 * load the gateway writes to Postgres once per batch of deliveries, and alone it writes at once. An event whose
 * provider id its account has seen before is skipped (the unique index decides, so concurrent
 * retries cannot both get in). Each new event also gets its `pending_channel_events` row (decision 046),
 * whose `dispatch_after` is when the sweep may take the event if it is still pending:
 * by then the process that recorded it has either dispatched it or died.
 */
const INSERT_EVENTS = prepare('gateway_insert_events', `
  with ins as (
    insert into channel_events (id, workspace_id, credential_id, provider_event_id, type, contact_id, payload)
    select e.id, e.ws, e.cred, e.pid, e.type, e.contact, e.payload
    from jsonb_to_recordset(?::jsonb) as e(id text, ws text, cred text, pid text, type text, contact text, payload jsonb)
    on conflict (credential_id, provider_event_id) do nothing
    returning id, received_at
  ), due as (
    insert into pending_channel_events (event_id, dispatch_after)
    select id, now() + make_interval(secs => ?::double precision) from ins
  )
  select id, (extract(epoch from received_at) * 1000)::float8 as received_at from ins`);

/** Events written per statement at most (a statement's JSON stays a few MB at the body limit). */
const MAX_GROUP = 100;

interface Pending {
  account: { workspaceId: string; credentialId: string; channel: string };
  rows: { id: string; ws: string; cred: string; pid: string; type: string; contact: string | null; payload: InboundEvent }[];
  resolve(recorded: RecordedEvent[]): void;
  reject(error: unknown): void;
}

export class EventRecorder {
  private readonly queue: Pending[] = [];
  private writers = 0;

  constructor(
    private readonly knex: Knex,
    private readonly sweepAfterMs: number,
    /**
     * Statements in flight at once. Each waits for its commit's WAL flush (an fsync) before its
     * deliveries are answered; with two, the next group is written while one flushes. Default: 2.
     */
    private readonly inFlight = 2,
  ) {}

  /** Records one delivery's events; resolves with the new ones, in delivery order, once they are committed. */
  record(account: Pending['account'], events: InboundEvent[]): Promise<RecordedEvent[]> {
    if (events.length === 0) return Promise.resolve([]);
    const rows = events.map((event) => ({
      id: timeOrderedId(), ws: account.workspaceId, cred: account.credentialId, pid: event.id, type: event.type, contact: event.contact?.id ?? null, payload: event,
    }));
    return new Promise((resolve, reject) => {
      this.queue.push({ account, rows, resolve, reject });
      if (this.writers < this.inFlight) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writers++;
    try {
      while (this.queue.length > 0) {
        const group: Pending[] = [];
        let size = 0;
        while (this.queue.length > 0 && (group.length === 0 || size + this.queue[0]!.rows.length <= MAX_GROUP)) {
          const next = this.queue.shift()!;
          group.push(next);
          size += next.rows.length;
        }
        try {
          const { rows } = await runPrepared(this.knex, INSERT_EVENTS, [JSON.stringify(group.flatMap((p) => p.rows)), this.sweepAfterMs / 1000]);
          const receivedAt = new Map(rows.map((row) => [String(row.id), Number(row.received_at)]));
          for (const pending of group) pending.resolve(recordedOf(pending, receivedAt));
        } catch (error) {
          for (const pending of group) pending.reject(error);
        }
      }
    } finally {
      this.writers--;
    }
  }
}

/** The delivery's events that were new, in the order the provider sent them. */
function recordedOf(pending: Pending, receivedAt: Map<string, number>): RecordedEvent[] {
  const recorded: RecordedEvent[] = [];
  for (const row of pending.rows) {
    const at = receivedAt.get(row.id);
    if (at === undefined) continue;
    recorded.push({ rowId: row.id, workspaceId: row.ws, credentialId: row.cred, channel: pending.account.channel, event: row.payload, receivedAt: at });
  }
  return recorded;
}
