import type { Knex } from 'knex';

/**
 * Team templates (issue 16, decision 038): flows a workspace member saved as a template for the
 * team (category "Team" in the gallery). The shipped templates are files under `templates/`, not
 * rows. `meta` is the checked `template.json`, `flow` the checked `switchyard/flow@1` document
 * without credential ids.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('team_templates', (t) => {
    t.text('id').primary();
    t.text('workspace_id').notNullable();
    t.jsonb('meta').notNullable();
    t.jsonb('flow').notNullable();
    /** The member who saved it; null when saved with an API key. */
    t.text('created_by');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['workspace_id', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('team_templates');
}
