import type { Knex } from 'knex';
import type { InboundEvent } from '@switchyard/sdk';
import type { Dispatcher } from './dispatch.js';
import type { RecordedEvent } from './events.js';

/** Events one sweep takes at most. */
const SWEEP_BATCH = 200;
/** How long a swept event is left to the sweeper that took it before another may take it again. */
const LEASE_SECONDS = 60;

/**
 * Dispatches events still pending past their `dispatch_after` (`pending_channel_events`, decision
 * 046): their process died between the 2xx and the dispatch, or the dispatch failed. Taking them
 * moves `dispatch_after` on (a lease), and `skip locked` keeps two sweepers off the same rows.
 * Dispatch is safe to repeat (decisions 029, 045).
 */
export async function sweepPending(knex: Knex, dispatcher: Dispatcher): Promise<number> {
  const { rows } = await knex.raw(`
    with due as (
      update pending_channel_events p set dispatch_after = now() + make_interval(secs => ?)
      from (select event_id from pending_channel_events where dispatch_after <= now()
            order by dispatch_after limit ? for update skip locked) d
      where p.event_id = d.event_id
      returning p.event_id
    )
    select e.id, e.workspace_id, e.credential_id, e.payload, (extract(epoch from e.received_at) * 1000)::float8 as received_at,
      coalesce((select kind from credentials c where c.id = e.credential_id), 'unknown') as channel
    from channel_events e join due on due.event_id = e.id`, [LEASE_SECONDS, SWEEP_BATCH]);
  if (rows.length === 0) return 0;
  const batch: RecordedEvent[] = (rows as SweptRow[])
    .sort((a, b) => a.received_at - b.received_at)
    .map((row) => ({
      rowId: row.id, workspaceId: row.workspace_id, credentialId: row.credential_id, channel: row.channel,
      event: row.payload, receivedAt: Number(row.received_at),
    }));
  await dispatcher.dispatch(batch);
  return batch.length;
}

interface SweptRow {
  id: string;
  workspace_id: string;
  credential_id: string;
  payload: InboundEvent;
  received_at: number;
  channel: string;
}
