import type { Knex } from 'knex';

/**
 * Large payloads stored once (DESIGN §8): a step whose input or output message is the very message
 * an earlier step emitted (or the trigger input) records a reference instead of a copy.
 * `input_ref` / `output_refs[port]` name `trigger` or `<stepKey>:<port>`; the value column is null then.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('execution_steps', (t) => {
    t.text('input_ref');
    t.jsonb('output_refs');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('execution_steps', (t) => {
    t.dropColumn('input_ref');
    t.dropColumn('output_refs');
  });
}
