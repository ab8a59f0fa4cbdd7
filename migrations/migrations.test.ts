import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from './index.js';
import { openDatabase, rollbackAll } from '../runtime/db/knex.js';
import { testConfig } from '../runtime/testing/config.js';

describe('migrations', () => {
  const config = testConfig();
  let close: (() => Promise<void>) | undefined;
  afterAll(async () => close?.());

  it('lists every migration file of the folder, in order', () => {
    const files = fs.readdirSync(fileURLToPath(new URL('.', import.meta.url))).filter((f) => /^\d+_.+\.ts$/.test(f)).sort();
    expect(Object.keys(migrations).sort()).toEqual(files);
  });

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
