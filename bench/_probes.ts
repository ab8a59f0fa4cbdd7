// Counters read from Postgres and Redis around a phase, to turn "Postgres used 1.6 ms per execution"
// into "… because each execution makes N write transactions and M bytes of WAL" and "K Redis commands".
// Exact where it can be: write transactions from the xid counter, WAL from the LSN, Redis commands from
// INFO commandstats. pg_stat_database's commit count is flushed lazily by each backend (≥ 1 s), so it
// is approximate and labelled so.
import { Redis } from 'ioredis';
import pg from 'pg';

export interface StoreSnapshot {
  xid: bigint;
  walBytes: bigint;
  xactCommit: number;
  tupInserted: number;
  tupUpdated: number;
  tupDeleted: number;
  redisCalls: Map<string, number>;
}

export interface StoreDelta {
  writeTransactions: number;
  walBytes: number;
  commitsApprox: number;
  rowsInserted: number;
  rowsUpdated: number;
  rowsDeleted: number;
  redisCommands: number;
  /** The most frequent Redis commands with their counts. */
  redisTop: [string, number][];
}

export interface StoreProbe {
  snapshot(): Promise<StoreSnapshot>;
  close(): Promise<void>;
}

export async function openStoreProbe(databaseUrl: string, redisUrl: string): Promise<StoreProbe> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  return {
    async snapshot() {
      const { rows } = await client.query<{ xid: string; lsn: string; xact_commit: string; tup_inserted: string; tup_updated: string; tup_deleted: string }>(
        `SELECT txid_current()::text AS xid, pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::text AS lsn,
                xact_commit::text, tup_inserted::text, tup_updated::text, tup_deleted::text
           FROM pg_stat_database WHERE datname = current_database()`,
      );
      const row = rows[0]!;
      const info = await redis.info('commandstats');
      const redisCalls = new Map<string, number>();
      for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) redisCalls.set(match[1]!, Number(match[2]));
      return {
        xid: BigInt(row.xid),
        walBytes: BigInt(row.lsn.split('.')[0]!),
        xactCommit: Number(row.xact_commit),
        tupInserted: Number(row.tup_inserted),
        tupUpdated: Number(row.tup_updated),
        tupDeleted: Number(row.tup_deleted),
        redisCalls,
      };
    },
    async close() {
      await client.end().catch(() => undefined);
      redis.disconnect();
    },
  };
}

export function storeDelta(before: StoreSnapshot, after: StoreSnapshot): StoreDelta {
  const calls: [string, number][] = [];
  let total = 0;
  for (const [name, count] of after.redisCalls) {
    let delta = count - (before.redisCalls.get(name) ?? 0);
    if (name === 'info') delta -= 1; // the probe's own INFO
    if (delta > 0) {
      calls.push([name, delta]);
      total += delta;
    }
  }
  calls.sort((a, b) => b[1] - a[1]);
  return {
    writeTransactions: Number(after.xid - before.xid) - 1, // the probe's own txid_current()
    walBytes: Number(after.walBytes - before.walBytes),
    commitsApprox: after.xactCommit - before.xactCommit,
    rowsInserted: after.tupInserted - before.tupInserted,
    rowsUpdated: after.tupUpdated - before.tupUpdated,
    rowsDeleted: after.tupDeleted - before.tupDeleted,
    redisCommands: total,
    redisTop: calls.slice(0, 8),
  };
}
