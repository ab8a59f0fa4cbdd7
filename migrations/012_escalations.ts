import type { Knex } from 'knex';

/**
 * Escalations (issue 14, decision 036): a question an "Ask a human" step puts to people while its
 * execution waits. One row per asking step (`execution_id` + `step_key`), so a step that runs again
 * finds its escalation instead of asking twice. `status` leaves `open` exactly once, by a
 * conditional update: a person's decision (approved, rejected) or the step's deadline (timeout).
 * The person's own text is kept next to the draft (`final_text`, `action`), never over it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('escalations', (t) => {
    t.uuid('id').primary();
    t.text('workspace_id').notNullable();
    t.text('flow_id').notNullable();
    t.text('execution_id').notNullable();
    t.text('step_key').notNullable();
    t.text('node_id').notNullable();
    /** open | approved | rejected | timeout */
    t.text('status').notNullable().defaultTo('open');
    t.text('title').notNullable();
    /** The message that was escalated (what the contact wrote), when there is one. */
    t.text('message');
    /** The drafted reply a person approves, edits or replaces. */
    t.text('draft');
    t.jsonb('reasons').notNullable().defaultTo('[]');
    /** The conversation (`contacts.id`) the message belongs to, when the step names one. */
    t.text('conversation_id');
    /** `[{ channel, address }]`, and what each notification did: `[{ channel, address, ok, error?, at }]`. */
    t.jsonb('assignees').notNullable().defaultTo('[]');
    t.jsonb('notifications').notNullable().defaultTo('[]');
    t.timestamp('deadline', { useTz: true }).notNullable();
    /** approve | edit | reply | reject | timeout: what the decision was. */
    t.text('action');
    /** The text the flow goes on with (the draft, the person's edit, or their own reply). */
    t.text('final_text');
    t.text('decided_by');
    t.timestamp('decided_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['execution_id', 'step_key']);
    t.index(['workspace_id', 'status', 'created_at']);
    t.index(['workspace_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('escalations');
}
