import knexFactory from 'knex';
import { afterAll, expect, inject, it } from 'vitest';
import { prepare, runPrepared } from './prepared.js';

const knex = knexFactory({ client: 'pg', connection: { connectionString: inject('databaseUrl') }, pool: { min: 1, max: 1 } });
afterAll(() => knex.destroy());

it('writes ? placeholders as $n for pg and keeps the knex form', () => {
  const statement = prepare('pair', 'select ?::int as a, ?::text as b');
  expect(statement).toEqual({ name: 'sy_pair', sql: 'select ?::int as a, ?::text as b', text: 'select $1::int as a, $2::text as b' });
});

it('runs a statement as a named prepared statement, planned once per connection and reused', async () => {
  const statement = prepare('prepared_test_sum', 'select ?::int + ?::int as sum');
  expect((await runPrepared(knex, statement, [40, 2])).rows).toEqual([{ sum: 42 }]);
  expect((await runPrepared(knex, statement, [1, 2])).rows).toEqual([{ sum: 3 }]);
  // One pooled connection: the statement it prepared is still there, under its name.
  const { rows } = await knex.raw(`select name from pg_prepared_statements where name = 'sy_prepared_test_sum'`);
  expect(rows).toHaveLength(1);
});
