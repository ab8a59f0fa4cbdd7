import type { Knex } from 'knex';
import { prepare, runPrepared } from '../db/prepared.js';
import { OUTBOUND_CTES, type OutboundRow } from '../conversations/outbound-batch.js';
import { INSERT_STEPS, type StepRecord } from './step-sql.js';
import type { ExecutionOutcome } from './step-store.js';

/** Options of {@link FinishGroup}. */
export interface FinishGroupOptions {
  /** Executions per statement at most. Default: 64. */
  maxPerStatement?: number;
  /** JSON per statement at most (an execution larger than this goes alone). Default: 4 MB. */
  maxStatementChars?: number;
  /**
   * Statements in flight at once. A durable commit waits for its WAL flush (an fsync); with two, one
   * batch's flush overlaps the next batch's work, and Postgres often flushes both at once. Default: 2.
   */
  inFlight?: number;
}

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
 * a worker hands its last commit here; while the statements in flight are written (two by default,
 * see {@link FinishGroupOptions.inFlight}), the executions that finish meanwhile wait and go
 * together in the next one (group commit, as the gateway records deliveries). Alone, an execution
 * commits at once; under load, one statement, one commit and one WAL flush serve a batch, which is
 * most of what a short channel flow cost Postgres. Every caller still resolves only after its own
 * rows are committed.
 *
 * A batch that fails is retried one execution per statement, so a row only one execution could not
 * store (or a deadlock with another writer) fails that execution's commit and no other.
 */
export class FinishGroup {
  private readonly queue: Queued[] = [];
  private writers = 0;
  private readonly maxPerStatement: number;
  private readonly maxStatementChars: number;
  private readonly inFlight: number;

  constructor(private readonly knex: Knex, options: FinishGroupOptions = {}) {
    this.maxPerStatement = options.maxPerStatement ?? 64;
    this.maxStatementChars = options.maxStatementChars ?? 4_000_000;
    this.inFlight = Math.max(1, options.inFlight ?? 2);
  }

  /** Commits one execution's finish; resolves with the threads (contact row ids) its outbound records wrote. */
  commit(request: FinishRequest): Promise<string[]> {
    const json = { steps: JSON.stringify(request.steps), outbound: JSON.stringify(request.outbound) };
    return new Promise((resolve, reject) => {
      this.queue.push({ request, json, resolve, reject });
      if (this.writers < this.inFlight) void this.write();
    });
  }

  /** The next statement's executions: the oldest first, then as many as the bounds allow. */
  private take(): Queued[] {
    let chars = 0;
    let count = 0;
    while (count < this.queue.length && count < this.maxPerStatement) {
      const { json } = this.queue[count]!;
      const size = json.steps.length + json.outbound.length;
      if (count > 0 && chars + size > this.maxStatementChars) break;
      chars += size;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async write(): Promise<void> {
    this.writers++;
    try {
      while (this.queue.length > 0) {
        const group = this.take();
        try {
          const threads = await this.run(group);
          for (const pending of group) pending.resolve(threads.get(pending.request.executionId) ?? []);
        } catch (error) {
          if (group.length === 1) {
            group[0]!.reject(error);
            continue;
          }
          for (const pending of group) {
            await this.run([pending]).then((threads) => pending.resolve(threads.get(pending.request.executionId) ?? []), pending.reject);
          }
        }
      }
    } finally {
      this.writers--;
    }
  }

  private async run(group: Queued[]): Promise<Map<string, string[]>> {
    // Rows locked in one order by every batch, so two workers' batches cannot deadlock each other.
    const sorted = [...group].sort((a, b) => (a.request.executionId < b.request.executionId ? -1 : a.request.executionId > b.request.executionId ? 1 : 0));
    const outcomes = sorted.map(({ request: { executionId, outcome, startedAt } }) => ({
      id: executionId, status: outcome.status, result: outcome.result, error: outcome.error, started_ms: startedAt,
    }));
    const { rows } = await runPrepared(this.knex, FINISH_MANY, [
      joinArrays(sorted.map((q) => q.json.steps)),
      joinArrays(sorted.map((q) => q.json.outbound)),
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

interface Queued {
  request: FinishRequest;
  /** The request's rows as JSON arrays, serialised once when it is queued. */
  json: { steps: string; outbound: string };
  resolve(threads: string[]): void;
  reject(error: unknown): void;
}

/** One JSON array of the elements of several (each `[...]` as JSON.stringify wrote it). */
function joinArrays(arrays: string[]): string {
  const inner = arrays.filter((a) => a.length > 2).map((a) => a.slice(1, -1));
  return `[${inner.join(',')}]`;
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
