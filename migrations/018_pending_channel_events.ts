import type { Knex } from 'knex';

/**
 * Which channel events are still to be dispatched moves out of `channel_events` into a narrow table
 * of its own (decision 046). The partial index `channel_events_pending … where status = 'pending'`
 * named `status`, so marking an event dispatched could never be a HOT update: each mark wrote a new
 * copy of the event's whole row (its payload included) and a new entry in every index of the table,
 * and left dead ones for vacuum. Now `status` is in no index, and `pending_channel_events` holds one
 * small row per event still pending: inserted with the event, deleted by its dispatch, leased by the
 * sweep. `channel_events.status` still says pending / dispatched / ignored.
 *
 * Half of each page is left free (fillfactor 50) in `channel_events` and `executions` (80 before,
 * migration 005). Dispatch marks a batch of events in one statement and the worker finishes a batch of
 * executions in one (decision 045), so every row of a page gets its new version in one transaction,
 * and a page has to hold two versions of each of its rows for all those updates to be HOT: with 80, one
 * row in five was (bench/channels.ts: 0.16 of 0.82 marks, 0.44 of 0.92 finishes), with 50 all were,
 * and neither table was vacuumed during the burst. The cost is heap space: these rows are never
 * updated again, so their pages stay half empty.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('pending_channel_events', (t) => {
    t.text('event_id').primary();
    /** The sweep may take the event once this has passed: a lease between sweepers. */
    t.timestamp('dispatch_after', { useTz: true }).notNullable();
    t.index(['dispatch_after']);
  });
  await knex.raw(`insert into pending_channel_events (event_id, dispatch_after)
    select id, dispatch_after from channel_events where status = 'pending'`);
  await knex.raw('drop index if exists channel_events_pending');
  await knex.schema.alterTable('channel_events', (t) => {
    t.dropColumn('dispatch_after');
  });
  await knex.raw('alter table channel_events set (fillfactor = 50)');
  await knex.raw('alter table executions set (fillfactor = 50)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('alter table executions set (fillfactor = 80)');
  await knex.raw('alter table channel_events reset (fillfactor)');
  await knex.schema.alterTable('channel_events', (t) => {
    t.timestamp('dispatch_after', { useTz: true });
  });
  await knex.raw(`update channel_events e set dispatch_after = coalesce(
    (select p.dispatch_after from pending_channel_events p where p.event_id = e.id), e.received_at)`);
  await knex.raw('alter table channel_events alter column dispatch_after set not null');
  await knex.raw(`create index channel_events_pending on channel_events (dispatch_after) where status = 'pending'`);
  await knex.schema.dropTableIfExists('pending_channel_events');
}
