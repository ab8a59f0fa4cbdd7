import type { Knex } from 'knex';

/**
 * The payments ledger (issue 15, decision 034): every payment object Switchyard created or heard
 * about, per workspace, with its status history. One row per provider object (an order, a payment
 * link, a payment or capture, a refund), unique by provider + account + provider id, so a step that
 * runs again and a webhook about the same object land on the same row. Amounts are integers in the
 * currency's minor unit (bigint). History rows say what moved the status: a step (execution and
 * step key) or a webhook delivery (the gateway's `channel_events` row).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payments', (t) => {
    t.uuid('id').primary();
    t.text('workspace_id').notNullable();
    t.text('provider').notNullable();
    t.text('credential_id').notNullable();
    /** order | payment_link | payment | refund | authorization | capture */
    t.text('object_type').notNullable();
    t.text('provider_id').notNullable();
    t.bigInteger('amount');
    t.text('currency');
    t.text('status').notNullable();
    /** The provider's ids of related objects: `{ orderId, paymentLinkId, paymentId }`. */
    t.jsonb('related').notNullable().defaultTo('{}');
    /** The flow and execution whose step created it; null for objects only heard about. */
    t.text('flow_id');
    t.text('execution_id');
    t.text('step_key');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['workspace_id', 'provider', 'credential_id', 'provider_id']);
    t.index(['workspace_id', 'created_at']);
  });
  await knex.schema.createTable('payment_history', (t) => {
    t.bigIncrements('id');
    t.uuid('payment_id').notNullable().references('id').inTable('payments').onDelete('CASCADE');
    t.text('status').notNullable();
    /** step | webhook | api */
    t.text('source').notNullable();
    t.text('execution_id');
    t.text('step_key');
    /** The gateway's event row (`channel_events.id`) and the provider's event id. */
    t.text('channel_event_id');
    t.text('provider_event_id');
    /** Whether this entry moved the payment's status (a late or repeated event does not). */
    t.boolean('applied').notNullable();
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['payment_id', 'id']);
    // A webhook event is recorded once per object however often it is dispatched.
    t.unique(['payment_id', 'provider_event_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('payment_history');
  await knex.schema.dropTable('payments');
}
