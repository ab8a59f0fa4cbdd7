import type { Knex } from 'knex';
import type { Json } from '@switchyard/sdk';
import { prepare, runPrepared } from '../db/prepared.js';
import { OUTBOUND_CTES, outboundRows, type OutboundRow, type PendingOutbound } from '../conversations/outbound-batch.js';
import { FinishGroup } from './finish-group.js';
import { PayloadDeduper, resolvePayloadRefs } from './payload-refs.js';
import { INSERT_STEPS, type StepRecord } from './step-sql.js';

/** A step as the executor records it. `output` is messages by port. */
export interface StepRow {
  stepKey: string;
  nodeId: string;
  nodeType: string;
  status: 'succeeded' | 'failed' | 'waiting';
  attempt: number;
  input: Json;
  output: Record<string, Json> | null;
  error: { message: string; code?: string; nodeId?: string; details?: Json } | null;
  startedAt: number;
  finishedAt: number;
}

/** What the execution row gets when the walk stops. */
export interface ExecutionOutcome {
  status: 'succeeded' | 'failed' | 'waiting' | 'cancelled';
  result: Json | null;
  error: { message: string; code?: string; nodeId?: string } | null;
}

/**
 * Records steps for one execution run, in batches. The durability rule (DESIGN §8): a
 * side-effecting step is flushed (committed) before the next step starts; pure steps ride along
 * with the next flush and are simply recomputed if a crash loses them. The last flush and the
 * execution's final status go to Postgres in ONE statement, so a short flow costs one commit; with a
 * {@link FinishGroup}, that statement is shared with the other executions finishing at that moment.
 */
export class StepWriter {
  private pending: StepRow[] = [];
  private outbound: PendingOutbound[] = [];
  private seq: number;
  private readonly payloads: PayloadDeduper;

  constructor(
    private readonly knex: Knex,
    private readonly executionId: string,
    private readonly workspaceId: string,
    /** Steps already recorded by earlier runs of this execution. Default: 0. */
    recordedCount = 0,
    /** The execution's trigger input; steps that pass it on record a reference. Default: null. */
    triggerInput: Json = null,
    /**
     * The execution row when nobody has written it yet (a sync webhook: decision 007); the first
     * write of this run inserts it in the same statement as the steps. Default: none (row exists).
     */
    private deferredRow?: DeferredExecutionRow,
    /** Told the threads (contact row ids) that outbound records changed, after their commit. Default: nobody. */
    private readonly onThreads?: (threadIds: string[]) => void,
    /** Where the final commit goes when the execution row exists (decision 045). Default: a group of its own. */
    private finishes?: FinishGroup,
  ) {
    this.seq = recordedCount;
    this.payloads = new PayloadDeduper(triggerInput);
  }

  add(row: StepRow): void {
    this.pending.push(row);
  }

  /**
   * An outbound message a step sent, recorded by the next commit, in the same statement as the
   * step (decision 044). Only once the execution row exists (see {@link rowPending}).
   */
  addOutbound(record: PendingOutbound): void {
    if (this.deferredRow) throw new Error('outbound records wait for the execution row: record them directly until it exists');
    this.outbound.push(record);
  }

  /** Steps buffered since the last commit. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Whether the execution row is still to be written by this writer. */
  get rowPending(): boolean {
    return this.deferredRow !== undefined;
  }

  /** Commits buffered steps and marks the execution running (the first flush of a long run). */
  async flush(): Promise<void> {
    if (this.deferredRow) {
      const row = this.deferredRow;
      const rows = this.take();
      // One statement: the execution row (running) and the steps; their foreign keys are checked at its end.
      await runPrepared(this.knex, FLUSH_INSERTING_ROW, [...rowValues(row), JSON.stringify(rows)]);
      this.deferredRow = undefined;
      return;
    }
    if (this.pending.length === 0 && this.outbound.length === 0) return;
    const rows = this.take();
    const outbound = this.takeOutbound();
    if (!outbound) {
      await runPrepared(this.knex, FLUSH, [JSON.stringify(rows), this.executionId]);
      return;
    }
    this.told(threadsOf(await runPrepared(this.knex, FLUSH_WITH_OUTBOUND, [JSON.stringify(rows), JSON.stringify(outbound), this.executionId])));
  }

  /** Commits buffered steps together with the execution's outcome. */
  async finish(outcome: ExecutionOutcome, startedAt: number): Promise<void> {
    const rows = this.take();
    if (this.deferredRow) {
      const row = this.deferredRow;
      this.deferredRow = undefined;
      await runPrepared(this.knex, FINISH_INSERTING_ROW,
        [...rowValues(row), outcome.status, JSON.stringify(outcome.result), JSON.stringify(outcome.error), startedAt, outcome.status, JSON.stringify(rows)]);
      return;
    }
    const outbound = this.takeOutbound() ?? [];
    this.finishes ??= new FinishGroup(this.knex);
    this.told(await this.finishes.commit({ executionId: this.executionId, steps: rows, outbound, outcome, startedAt }));
  }

  /** The outbound CTEs' rows, or undefined when no outbound record waits. */
  private takeOutbound(): OutboundRow[] | undefined {
    if (this.outbound.length === 0) return undefined;
    const rows = outboundRows(this.outbound, this.workspaceId, this.executionId);
    this.outbound = [];
    return rows;
  }

  private told(threads: string[]): void {
    if (threads.length > 0) this.onThreads?.(threads);
  }

  private take(): StepRecord[] {
    const rows = this.pending.map((row): StepRecord => {
      const inputRef = this.payloads.refOf(row.input) ?? null;
      let output = row.output;
      let outputRefs: Record<string, string> | null = null;
      if (row.output) {
        output = {};
        for (const [port, message] of Object.entries(row.output)) {
          const ref = this.payloads.refOf(message);
          if (ref) (outputRefs ??= {})[port] = ref;
          else output[port] = message;
        }
        this.payloads.remember(row.stepKey, row.output);
      }
      return {
      execution_id: this.executionId,
      workspace_id: this.workspaceId,
      step_key: row.stepKey,
      node_id: row.nodeId,
      node_type: row.nodeType,
      status: row.status,
      attempt: row.attempt,
      input: inputRef ? null : row.input,
      input_ref: inputRef,
      output,
      output_refs: outputRefs,
      error: row.error,
      started_at: new Date(row.startedAt).toISOString(),
      finished_at: new Date(row.finishedAt).toISOString(),
      duration_ms: row.finishedAt - row.startedAt,
      seq: ++this.seq,
      };
    });
    this.pending = [];
    return rows;
  }
}

/** What an execution row needs when the worker writes it (see `deferredRow`). */
export interface DeferredExecutionRow {
  id: string;
  workspaceId: string;
  flowId: string;
  version: number;
  mode: string;
  priority: string;
  triggerNodeId: string;
  triggerInput: Json;
  createdAt: number;
}

const ROW_COLUMNS = 'id, workspace_id, flow_id, flow_version, mode, priority, trigger_node_id, trigger_input, created_at';

function rowValues(row: DeferredExecutionRow): (string | number)[] {
  return [row.id, row.workspaceId, row.flowId, row.version, row.mode, row.priority, row.triggerNodeId,
    JSON.stringify(row.triggerInput), new Date(row.createdAt).toISOString()];
}

const ROW_PLACEHOLDERS = ROW_COLUMNS.split(',').map(() => '?').join(', ');

// The statements a run commits with besides FinishGroup's; prepared, since executions run them often (decision 012).
const FLUSH_INSERTING_ROW = prepare('steps_flush_new_row', `with ex as (insert into executions (${ROW_COLUMNS}, status, started_at)
    values (${ROW_PLACEHOLDERS}, 'running', now()) on conflict (id) do nothing),
  ins as (${INSERT_STEPS}) select 1`);

const FLUSH = prepare('steps_flush', `with ins as (${INSERT_STEPS})
  update executions set status = 'running', started_at = coalesce(started_at, now())
  where id = ? and status in ('queued', 'running', 'waiting')`);

const FINISH_INSERTING_ROW = prepare('steps_finish_new_row', `with ex as (insert into executions (${ROW_COLUMNS}, status, result, error, started_at, finished_at)
    values (${ROW_PLACEHOLDERS}, ?, ?::jsonb, ?::jsonb, to_timestamp(?::bigint / 1000.0), case when ?::text = 'waiting' then null else now() end)
    on conflict (id) do update set status = excluded.status, result = excluded.result, error = excluded.error,
      finished_at = excluded.finished_at where executions.status <> 'cancelled'),
  ins as (${INSERT_STEPS}) select 1`);

// The flush with a step's outbound messages (decision 044): the executions update becomes a CTE
// so the statement can return the threads it wrote. A run's last commit is FinishGroup's.
const FLUSH_WITH_OUTBOUND = prepare('steps_flush_outbound', `with ins as (${INSERT_STEPS}), ${OUTBOUND_CTES},
  ex as (update executions set status = 'running', started_at = coalesce(started_at, now())
    where id = ? and status in ('queued', 'running', 'waiting') returning 1)
  select id as thread from ob_c`);

function threadsOf(result: { rows: Record<string, unknown>[] }): string[] {
  return result.rows.map((row) => row.thread).filter((id): id is string => typeof id === 'string');
}

/** The latest record of each step key of an execution (what replay reuses). */
export async function loadRecordedSteps(knex: Knex, executionId: string, triggerInput: Json): Promise<{ latest: Map<string, StepRow>; count: number }> {
  const rows = resolvePayloadRefs(await knex('execution_steps').where({ execution_id: executionId }).orderBy('seq', 'asc')
    .select('step_key', 'node_id', 'node_type', 'status', 'attempt', 'input', 'input_ref', 'output', 'output_refs', 'error', 'started_at', 'finished_at', 'seq'), triggerInput);
  const latest = new Map<string, StepRow>();
  let count = 0;
  for (const row of rows) {
    count = Math.max(count, Number(row.seq));
    latest.set(row.step_key, {
      stepKey: row.step_key,
      nodeId: row.node_id,
      nodeType: row.node_type,
      status: row.status,
      attempt: row.attempt,
      input: row.input,
      output: row.output,
      error: row.error,
      startedAt: new Date(row.started_at).getTime(),
      finishedAt: row.finished_at ? new Date(row.finished_at).getTime() : Date.now(),
    });
  }
  return { latest, count };
}
