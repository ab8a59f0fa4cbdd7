import type { Knex } from 'knex';

/**
 * Installed plugin versions. The bundle lives in Postgres so every worker machine can load it; its
 * integrity is checked again by each sandbox host before it is compiled. `approved_permissions` is
 * null until the owner approves what the manifest asks for; only approved versions are loaded.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('plugins', (t) => {
    t.text('workspace_id').notNullable();
    t.text('name').notNullable();
    t.text('version').notNullable();
    t.jsonb('manifest').notNullable();
    t.text('bundle').notNullable();
    t.text('integrity').notNullable();
    t.jsonb('approved_permissions');
    t.timestamp('installed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('approved_at', { useTz: true });
    t.primary(['workspace_id', 'name', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('plugins');
}
