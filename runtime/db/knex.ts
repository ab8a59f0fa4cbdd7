import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { migrations } from '../../migrations/index.js';
import type { SwitchyardConfig } from '../config/env.js';

/** The migrations in `migrations/index.ts`, in name order; the same for Postgres and PGlite. */
class ListedMigrationSource implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return Object.keys(migrations).sort();
  }
  getMigrationName(migration: string): string {
    return migration;
  }
  async getMigration(migration: string): Promise<Knex.Migration> {
    const found = migrations[migration];
    if (!found) throw new Error(`unknown migration ${migration}`);
    return found;
  }
}

export interface Database {
  knex: Knex;
  /** 'postgres' or 'pglite' (embedded). */
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

/** Opens Postgres (DATABASE_URL) or the embedded PGlite under the data dir, and migrates it. */
export async function openDatabase(config: SwitchyardConfig, options: { migrate?: boolean } = {}): Promise<Database> {
  let knex: Knex;
  let kind: Database['kind'];
  if (config.databaseUrl) {
    kind = 'postgres';
    knex = knexFactory({
      client: 'pg',
      // Handed to pg whole: knex's own URL parsing drops `?host=/socket/dir` (Unix sockets).
      connection: { connectionString: config.databaseUrl },
      searchPath: [config.databaseSchema],
      pool: { min: 1, max: 10 },
    });
    if (config.databaseSchema !== 'public') {
      await knex.raw('create schema if not exists ??', [config.databaseSchema]);
    }
  } else {
    kind = 'pglite';
    const { PGlite } = await import('@electric-sql/pglite');
    const { default: ClientPgLite } = await import('knex-pglite');
    const dir = path.join(config.dataDir, 'pgdata');
    fs.mkdirSync(dir, { recursive: true });
    // pgvector ships inside PGlite's extension package: knowledge bases get HNSW search (decision 033).
    const { vector } = await import('@electric-sql/pglite-pgvector');
    const pglite = new PGlite(dir, { extensions: { vector } });
    await pglite.waitReady;
    // knex-pglite reads `pglite` off the connection object; knex's types only know network settings.
    const connection: Knex.PgConnectionConfig & { pglite: typeof pglite } = { pglite };
    knex = knexFactory({
      client: ClientPgLite,
      // PGlite is one in-process connection: knex-pglite refuses a pool setting.
      connection: () => connection,
    });
  }
  if (options.migrate !== false) {
    await knex.migrate.latest({ migrationSource: new ListedMigrationSource(), schemaName: config.databaseUrl ? config.databaseSchema : undefined });
  }
  return { knex, kind, close: () => knex.destroy() };
}

export async function rollbackAll(knex: Knex, schema?: string): Promise<void> {
  await knex.migrate.rollback({ migrationSource: new ListedMigrationSource(), schemaName: schema }, true);
}
