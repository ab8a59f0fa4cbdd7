import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase, rollbackAll } from '../runtime/db/knex.js';
import { testConfig } from '../runtime/testing/config.js';

describe('migrations', () => {
  const config = testConfig();
  let close: (() => Promise<void>) | undefined;
  afterAll(async () => close?.());

  it('migrate up from empty, roll every one back down, and up again', async () => {
    const db = await openDatabase(config);
    close = db.close;
    expect(await db.knex.schema.withSchema(config.databaseSchema).hasTable('execution_steps')).toBe(true);
    await rollbackAll(db.knex, config.databaseSchema);
    expect(await db.knex.schema.withSchema(config.databaseSchema).hasTable('executions')).toBe(false);
    const again = await openDatabase(config);
    expect(await again.knex.schema.withSchema(config.databaseSchema).hasTable('execution_waits')).toBe(true);
    await again.close();
  });
});
