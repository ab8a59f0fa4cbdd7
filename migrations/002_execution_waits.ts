import type { Knex } from 'knex';

/**
 * Parked steps. One row per waiting step: a timer (`until`), a resume URL (`token`) or an internal
 * event (`event`, e.g. a sub-flow finishing). Resolving a wait fills `resolution` and queues the
 * execution again; the executor replays to the step and continues it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('execution_waits', (t) => {
    t.text('execution_id').notNullable().references('executions.id').onDelete('CASCADE');
    t.text('step_key').notNullable();
    t.text('workspace_id').notNullable();
    t.timestamp('until', { useTz: true });
    t.text('token').unique();
    t.text('event');
    /** `{ kind: 'timer' | 'resume' | 'event', payload?, error? }` once resolved. */
    t.jsonb('resolution');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('resolved_at', { useTz: true });
    t.primary(['execution_id', 'step_key']);
    t.index(['event']);
  });
  await knex.schema.alterTable('executions', (t) => {
    t.dropColumn('waiting');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('executions', (t) => {
    t.jsonb('waiting');
  });
  await knex.schema.dropTableIfExists('execution_waits');
}
