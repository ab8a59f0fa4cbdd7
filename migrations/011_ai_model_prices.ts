import type { Knex } from 'knex';

/**
 * The per-model price table of AI steps (decision 032): USD per million prompt and completion
 * tokens, per workspace, edited on the settings page. A step prices its tokens when it runs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('ai_model_prices', (t) => {
    t.text('workspace_id').notNullable();
    /** The model id exactly as a chain entry names it, e.g. `gpt-4o-mini`, `llama-3.3-70b-versatile`. */
    t.text('model').notNullable();
    t.double('input_per_million').notNullable();
    t.double('output_per_million').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['workspace_id', 'model']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('ai_model_prices');
}
