import type { Knex } from 'knex';

/**
 * The inbound gateway (decision 029):
 * - `channel_events`: every event a provider delivered to an account's callback URL (or a poller
 *   found), written before the provider gets its 2xx. The provider's own id is unique per account,
 *   so a retried or replayed delivery records nothing new. `status` says whether the event was
 *   handed to the flows (`dispatched`), matched none (`ignored`) or is still to be handed over
 *   (`pending`: the sweep takes it again after `dispatch_after`).
 * - `channel_triggers`: the channel triggers of active flows and the account each listens to.
 * - `trigger_cursors`: a polling trigger's durable cursor and its health.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('channel_events', (t) => {
    t.text('id').primary();
    t.text('workspace_id').notNullable();
    t.text('credential_id').notNullable();
    t.text('provider_event_id').notNullable();
    t.text('type').notNullable();
    t.text('contact_id');
    /** The event as the handler parsed it (`InboundEvent`). */
    t.jsonb('payload').notNullable();
    /** pending | dispatched | ignored */
    t.text('status').notNullable().defaultTo('pending');
    t.timestamp('received_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    /** A pending event is (re)dispatched by the sweep once this has passed: a lease between sweepers. */
    t.timestamp('dispatch_after', { useTz: true }).notNullable();
    t.unique(['credential_id', 'provider_event_id']);
  });
  await knex.raw(`create index channel_events_pending on channel_events (dispatch_after) where status = 'pending'`);
  await knex.raw('create index channel_events_received on channel_events (workspace_id, received_at)');

  await knex.schema.createTable('channel_triggers', (t) => {
    t.text('workspace_id').notNullable();
    t.text('flow_id').notNullable().references('flows.id').onDelete('CASCADE');
    t.text('node_id').notNullable();
    t.integer('flow_version').notNullable();
    t.text('credential_id').notNullable();
    t.primary(['flow_id', 'node_id']);
    t.index(['credential_id']);
  });

  await knex.schema.createTable('trigger_cursors', (t) => {
    t.text('flow_id').notNullable().references('flows.id').onDelete('CASCADE');
    t.text('node_id').notNullable();
    t.text('workspace_id').notNullable();
    t.jsonb('cursor');
    t.integer('consecutive_failures').notNullable().defaultTo(0);
    /** Set once the poller failed `FAILING_AFTER` times in a row; cleared by the next success or an activation. */
    t.boolean('failing').notNullable().defaultTo(false);
    t.text('last_error');
    t.timestamp('last_success_at', { useTz: true });
    t.timestamp('last_failure_at', { useTz: true });
    t.primary(['flow_id', 'node_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('trigger_cursors');
  await knex.schema.dropTableIfExists('channel_triggers');
  await knex.schema.dropTableIfExists('channel_events');
}
