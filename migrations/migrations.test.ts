import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

  it('stores payloads with lz4 on Postgres, and migrates PGlite (built without lz4) all the same', async () => {
    const db = await openDatabase(config);
    const { rows } = await db.knex.raw(`select c.relname || '.' || a.attname as col, a.attcompression as method from pg_attribute a
      join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ? and a.attname in ('input', 'output', 'trigger_input', 'result') and c.relname in ('execution_steps', 'executions') order by 1`, [config.databaseSchema]);
    await db.close();
    expect(rows).toEqual([
      { col: 'execution_steps.input', method: 'l' }, { col: 'execution_steps.output', method: 'l' },
      { col: 'executions.result', method: 'l' }, { col: 'executions.trigger_input', method: 'l' },
    ]);
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-mig-'));
    try {
      const embedded = await openDatabase(testConfig({ databaseUrl: undefined, dataDir }));
      expect(await embedded.knex.schema.hasTable('execution_steps')).toBe(true);
      await embedded.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
