import type { Knex } from 'knex';
import { prepare, runPrepared } from '../db/prepared.js';
import { OUTBOUND_CTES, type OutboundRow } from '../conversations/outbound-batch.js';
import { INSERT_STEPS, type StepRecord } from './step-sql.js';
import type { ExecutionOutcome } from './step-store.js';

/** One execution's final commit: its last steps, the messages they sent, and its outcome. */
export interface FinishRequest {
  executionId: string;
  steps: StepRecord[];
  outbound: OutboundRow[];
  outcome: ExecutionOutcome;
  /** When this run started (epoch ms): the execution's `started_at` if it has none yet. */
  startedAt: number;
}

/**
 * The final statement of many executions at once (decision 045). Each execution that finishes in
 * a worker hands its last commit here; while one statement is in flight, the executions that
 * finish meanwhile wait and go together in the next one (group commit, as the gateway records
 * deliveries). Alone, an execution commits at once; under load, one statement, one commit and one
 * WAL flush serve a batch, which is most of what a short channel flow cost Postgres. Every caller
 * still resolves only after its own rows are committed.
 *
 * A batch that fails is retried one execution per statement, so a row only one execution could not
 * store (or a deadlock with another writer) fails that execution's commit and no other.
 */
export class FinishGroup {
  private readonly queue: { request: FinishRequest; resolve(threads: string[]): void; reject(error: unknown): void }[] = [];
  private writing = false;

  constructor(
    private readonly knex: Knex,
    /** Executions per statement at most. Default: 64. */
    private readonly maxPerStatement = 64,
  ) {}

  /** Commits one execution's finish; resolves with the threads (contact row ids) its outbound records wrote. */
  commit(request: FinishRequest): Promise<string[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (!this.writing) void this.write();
    });
  }

  private async write(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxPerStatement);
        try {
          const threads = await this.run(group.map((p) => p.request));
          for (const pending of group) pending.resolve(threads.get(pending.request.executionId) ?? []);
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error);
            continue;
          }
          for (const pending of group) {
            await this.run([pending.request]).then((threads) => pending.resolve(threads.get(pending.request.executionId) ?? []), pending.reject);
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async run(requests: FinishRequest[]): Promise<Map<string, string[]>> {
    // Rows locked in one order by every batch, so two workers' batches cannot deadlock each other.
    const sorted = [...requests].sort((a, b) => (a.executionId < b.executionId ? -1 : a.executionId > b.executionId ? 1 : 0));
    const outcomes = sorted.map(({ executionId, outcome, startedAt }) => ({
      id: executionId, status: outcome.status, result: outcome.result, error: outcome.error, started_ms: startedAt,
    }));
    const { rows } = await runPrepared(this.knex, FINISH_MANY, [
      JSON.stringify(sorted.flatMap((r) => r.steps)),
      JSON.stringify(sorted.flatMap((r) => r.outbound)),
      JSON.stringify(outcomes),
    ]);
    const threads = new Map<string, string[]>();
    for (const row of rows) {
      const list = threads.get(String(row.xid)) ?? [];
      list.push(String(row.thread));
      threads.set(String(row.xid), list);
    }
    return threads;
  }
}

// The status guard keeps a concurrent cancel: a cancelled execution never flips back. A run that
// parks (`waiting`) has no finished_at. Data-modifying CTEs run whether or not the select reads them.
const FINISH_MANY = prepare('steps_finish_many', `with ins as (${INSERT_STEPS}), ${OUTBOUND_CTES},
  fin as (select * from jsonb_to_recordset(?::jsonb) as f(id text, status text, result jsonb, error jsonb, started_ms bigint)),
  ex as (update executions e set status = f.status, result = f.result, error = f.error,
      started_at = coalesce(e.started_at, to_timestamp(f.started_ms / 1000.0)),
      finished_at = case when f.status = 'waiting' then null else now() end
    from fin f where e.id = f.id and e.status <> 'cancelled' returning 1)
  select distinct o.xid, c.id as thread from ob o join ob_c c on c.credential_id = o.credential and c.provider_contact_id = o.contact`);
