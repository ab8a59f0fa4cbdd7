import { idFollowing, timeOrderedId } from '../db/ids.js';
import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import { NonRetryableError, type Json } from '@switchyard/sdk';
import type { ExecutionMode, Priority } from '../services/types.js';
import { ServiceUnavailableError, withTimeout } from '../errors.js';
import { MAX_INLINE_INPUT_BYTES, PRIORITY, type RunJobData } from './jobs.js';
import { prepare, runPrepared } from '../db/prepared.js';

/**
 * {@link Launcher.launchMany}: the executions of many provider events in one statement. Each id is
 * derived from its event's row and its source, so a second dispatch of an event conflicts on the
 * primary key and starts nothing (decision 045). Launches recorded before that decision were
 * deduplicated by an inbound_events row instead; the not-exists keeps a late sweep of one of them
 * from starting it again.
 */
const LAUNCH_MANY = prepare('launch_many', `
  insert into executions (id, workspace_id, flow_id, flow_version, status, mode, priority, trigger_input, trigger_node_id)
  select i.xid, i.workspace_id, i.flow_id, i.flow_version, 'queued', i.mode, i.priority, i.trigger_input, i.trigger_node_id
  from jsonb_to_recordset(?::jsonb) as i(xid text, workspace_id text, flow_id text, flow_version int, mode text,
    priority text, trigger_input jsonb, trigger_node_id text, source text, pid text)
  where not exists (select 1 from inbound_events e where e.workspace_id = i.workspace_id and e.source = i.source and e.provider_event_id = i.pid)
  on conflict (id) do nothing
  returning id`);

/**
 * How deep sub-flow calls may nest (a root execution's children are level 1). Deep enough for a
 * flow that pages through an API by calling itself; it stops one with no end condition in well
 * under a second instead of letting it start executions forever.
 */
export const MAX_SUBFLOW_NESTING = 100;

export interface LaunchRequest {
  workspaceId: string;
  flowId: string;
  version: number;
  triggerNodeId: string;
  mode: ExecutionMode;
  input: Json;
  /** Default: 'normal'. */
  priority?: Priority;
  replyTo?: string;
  respondMode?: RunJobData['respondMode'];
  /** Records an inbound event in the same statement; a repeated provider event id is a duplicate. */
  inbound?: { source: string; providerEventId?: string };
  parent?: { executionId: string; stepKey: string };
  /** Fixed id (sub-flows: derived from the parent step, so a replayed start is not a second child). */
  id?: string;
  rerun?: { of: string; fromStep?: string };
  /** Do not queue: the caller runs it inline (schedules). Default: false. */
  inline?: boolean;
  /** Pinned outputs of a test run (see RunOptions.pinned). */
  pinned?: Record<string, Record<string, Json>>;
  /**
   * Leave the row to the worker's first commit (decision 007): only for callers that acknowledge
   * nothing before the execution's own result (sync webhooks). Ignored when the input is large or an
   * inbound event must be deduplicated. Default: false.
   */
  deferRow?: boolean;
}

/** One execution of {@link Launcher.launchMany}: a recorded provider event's run by one trigger. */
export interface EventLaunchRequest extends LaunchRequest {
  /** Who starts it (e.g. `channel:<flow>:<node>`) and the event's provider id (`<account>:<id>`). */
  inbound: { source: string; providerEventId: string };
  /** The recorded event's row (`channel_events.id`): with the source, it fixes the execution's id. */
  eventRowId: string;
}

export interface LaunchResult {
  executionId: string;
  /** The provider event (or fixed id) was seen before; nothing new was started. */
  duplicate: boolean;
  job?: RunJobData;
}

/**
 * Creates execution rows and queues them. The row (and the inbound event, when there is one) is
 * committed before the job exists, so a worker never picks up an execution Postgres doesn't know.
 */
export class Launcher {
  constructor(
    private readonly knex: Knex,
    private readonly queue: Queue,
    private readonly log?: Logger,
    /** How long adding a job may take before the caller is answered anyway. Default: 5 000 ms. */
    private readonly queueTimeoutMs = 5_000,
  ) {}

  async launch(request: LaunchRequest): Promise<LaunchResult> {
    if (request.parent) await this.assertNestingAllowed(request.parent.executionId);
    const executionId = request.id ?? timeOrderedId();
    const priority = request.priority ?? 'normal';
    const row = {
      id: executionId,
      workspace_id: request.workspaceId,
      flow_id: request.flowId,
      flow_version: request.version,
      status: 'queued',
      mode: request.mode,
      priority,
      trigger_input: JSON.stringify(request.input),
      trigger_node_id: request.triggerNodeId,
      parent_execution_id: request.parent?.executionId ?? null,
      parent_step_key: request.parent?.stepKey ?? null,
      rerun_of: request.rerun?.of ?? null,
      rerun_from_step: request.rerun?.fromStep ?? null,
    };
    const columns = Object.keys(row);
    const values = Object.values(row);
    if (request.deferRow && !request.inbound?.providerEventId && !request.parent && !request.rerun && !request.inline
      && row.trigger_input.length <= MAX_INLINE_INPUT_BYTES) {
      const job: RunJobData = {
        executionId, workspaceId: request.workspaceId, flowId: request.flowId, version: request.version,
        triggerNodeId: request.triggerNodeId, mode: request.mode, replyTo: request.replyTo, respondMode: request.respondMode,
        fresh: true, input: request.input, deferred: { priority, createdAt: Date.now() },
      };
      // Nothing is in Postgres yet: if Redis does not take the job, the caller must hear it (and
      // retry) rather than wait without end.
      await this.enqueueFirst(job, priority).catch((error: unknown) => {
        throw new ServiceUnavailableError(`could not queue the execution: ${error instanceof Error ? error.message : String(error)}; retry shortly`);
      });
      return { executionId, duplicate: false, job };
    }
    let inserted: boolean;
    // The execution row (mode, trigger input, time) is itself the durable record of an inbound call;
    // a separate inbound event row is written only when a provider event id must be deduplicated
    // (docs/decisions/005).
    if (request.inbound?.providerEventId) {
      const eventId = timeOrderedId();
      const result = await this.knex.raw(
        `with ev as (
           insert into inbound_events (id, workspace_id, flow_id, source, provider_event_id, payload)
           values (?, ?, ?, ?, ?, ?::jsonb)
           on conflict (workspace_id, source, provider_event_id) do nothing returning id)
         insert into executions (${columns.join(', ')}, inbound_event_id)
         select ${columns.map(() => '?').join(', ')}, ev.id from ev returning id`,
        [eventId, request.workspaceId, request.flowId, request.inbound.source, request.inbound.providerEventId,
          row.trigger_input, ...values],
      );
      inserted = result.rows.length > 0;
      if (!inserted) {
        const existing = await this.knex('executions as e')
          .join('inbound_events as i', 'i.id', 'e.inbound_event_id')
          .where({ 'i.workspace_id': request.workspaceId, 'i.source': request.inbound.source, 'i.provider_event_id': request.inbound.providerEventId })
          .first('e.id');
        return { executionId: existing?.id ?? executionId, duplicate: true };
      }
    } else {
      const result = await this.knex.raw(
        `insert into executions (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')}) on conflict (id) do nothing returning id`,
        values,
      );
      inserted = result.rows.length > 0;
      if (!inserted) return { executionId, duplicate: true };
    }
    const job: RunJobData = {
      executionId,
      workspaceId: request.workspaceId,
      flowId: request.flowId,
      version: request.version,
      triggerNodeId: request.triggerNodeId,
      mode: request.mode,
      replyTo: request.replyTo,
      respondMode: request.respondMode,
      fresh: !request.rerun?.fromStep,
      ...(request.pinned ? { pinned: request.pinned } : {}),
      live: request.mode === 'manual' || request.mode === 'rerun',
      ...(request.parent ? { child: true } : {}),
      ...(row.trigger_input.length <= MAX_INLINE_INPUT_BYTES ? { input: request.input } : {}),
    };
    // The first job of an execution carries its id, so the orphan sweep can tell whether it exists.
    // The row is committed: should Redis not take the job now, the sweep queues it later, so the
    // caller is answered instead of waiting on Redis.
    if (!request.inline) {
      await this.enqueueFirst(job, priority).catch((error: unknown) => {
        this.log?.warn({ err: error, executionId }, 'execution recorded but not queued; the orphan sweep will queue it');
      });
    }
    return { executionId, duplicate: false, job };
  }

  /**
   * Starts many executions of provider events at once (the inbound gateway's dispatch, decision 029):
   * one statement records the executions, skipping those started before, and one Redis round trip
   * queues the new ones. Parents, reruns and deferred rows are not for this path. Returns the
   * execution id per request index, or undefined for a duplicate.
   */
  async launchMany(requests: EventLaunchRequest[]): Promise<(string | undefined)[]> {
    if (requests.length === 0) return [];
    const input = requests.map((r) => ({
      xid: idFollowing(r.eventRowId, r.inbound.source), workspace_id: r.workspaceId, flow_id: r.flowId, flow_version: r.version, mode: r.mode,
      priority: r.priority ?? 'normal', trigger_input: r.input, trigger_node_id: r.triggerNodeId, source: r.inbound.source,
      pid: r.inbound.providerEventId,
    }));
    const { rows } = await runPrepared(this.knex, LAUNCH_MANY, [JSON.stringify(input)]);
    const inserted = new Set(rows.map((row) => String(row.id)));
    const jobs: { job: RunJobData; priority: Priority }[] = [];
    const ids = input.map((row, i) => {
      if (!inserted.has(row.xid)) return undefined;
      const request = requests[i]!;
      const small = JSON.stringify(request.input).length <= MAX_INLINE_INPUT_BYTES;
      jobs.push({
        priority: request.priority ?? 'normal',
        job: {
          executionId: row.xid, workspaceId: request.workspaceId, flowId: request.flowId, version: request.version,
          triggerNodeId: request.triggerNodeId, mode: request.mode, fresh: true, live: request.mode === 'manual' || request.mode === 'rerun',
          ...(small ? { input: request.input } : {}),
        },
      });
      return row.xid;
    });
    if (jobs.length > 0) {
      // The rows are committed: should Redis not take the jobs now, the orphan sweep queues them.
      const bulk = jobs.map(({ job, priority }) => ({ name: 'run' as const, data: job, opts: { priority: PRIORITY[priority], jobId: job.executionId } }));
      await withTimeout(this.queue.addBulk(bulk), this.queueTimeoutMs, 'the queue (Redis)').catch((error: unknown) => {
        this.log?.warn({ err: error, executions: jobs.length }, 'executions recorded but not queued; the orphan sweep will queue them');
      });
    }
    return ids;
  }

  /**
   * Refuses a child of `parentId` that would nest past {@link MAX_SUBFLOW_NESTING}: a flow that
   * calls itself with no way out would otherwise start executions forever (decision 018).
   */
  private async assertNestingAllowed(parentId: string): Promise<void> {
    // A root whose row is not written yet (a sync webhook's, decision 007) counts 0: its child is level 1.
    const level = Math.max(1, await this.nestingDepth(parentId, MAX_SUBFLOW_NESTING + 1));
    if (level > MAX_SUBFLOW_NESTING) {
      throw new NonRetryableError(`sub-flows may nest ${MAX_SUBFLOW_NESTING} deep and this call would go deeper; does a flow call itself with no condition that ends it?`, { code: 'subflow_too_deep' });
    }
  }

  /**
   * How many executions lead to this one through sub-flow calls, itself included: 1 for a root, 0
   * when its row is not written yet (a sync webhook's root, decision 007). Counts at most `limit`.
   */
  private async nestingDepth(executionId: string, limit: number): Promise<number> {
    const result = await this.knex.raw(
      `with recursive chain(parent, depth) as (
         select parent_execution_id, 1 from executions where id = ?
         union all
         select e.parent_execution_id, c.depth + 1 from chain c join executions e on e.id = c.parent where c.depth < ?
       ) select coalesce(max(depth), 0)::int as depth from chain`,
      [executionId, limit],
    );
    return Number(result.rows[0]?.depth ?? 0);
  }

  /** Stops a BullMQ job scheduler (one whose schedule is no longer in Postgres). */
  async removeScheduler(key: string): Promise<void> {
    await this.queue.removeJobScheduler(key);
  }

  /** An execution's first job, under its own id, bounded by `queueTimeoutMs`. */
  private enqueueFirst(job: RunJobData, priority: Priority): Promise<void> {
    return withTimeout(this.enqueue(job, priority, 0, job.executionId), this.queueTimeoutMs, 'the queue (Redis)');
  }

  async enqueue(job: RunJobData, priority: Priority = 'normal', delayMs = 0, jobId?: string): Promise<void> {
    await this.queue.add('run', job, { priority: PRIORITY[priority], ...(delayMs > 0 ? { delay: delayMs } : {}), ...(jobId ? { jobId } : {}) });
  }

  /**
   * Re-queues executions left `queued` with no job: the process that created the row died before
   * it could add the job. Returns how many it re-queued.
   */
  async sweepOrphans(olderThanMs = 60_000): Promise<number> {
    const rows = await this.knex('executions').where({ status: 'queued' })
      .andWhere('created_at', '<', new Date(Date.now() - olderThanMs)).orderBy('created_at').limit(200).select('id');
    let requeued = 0;
    for (const { id } of rows) {
      if (await this.queue.getJob(id)) continue;
      if (await this.continueExecution(id, { jobId: id })) requeued++;
    }
    return requeued;
  }

  /** Queues a parked or interrupted execution again; its state comes from Postgres. */
  async continueExecution(executionId: string, options: { delayMs?: number; jobId?: string } = {}): Promise<boolean> {
    const row = await this.knex('executions').where({ id: executionId })
      .first('id', 'workspace_id', 'flow_id', 'flow_version', 'trigger_node_id', 'mode', 'priority', 'status', 'parent_execution_id');
    if (!row || !['queued', 'running', 'waiting'].includes(row.status)) return false;
    await this.enqueue({
      executionId: row.id, workspaceId: row.workspace_id, flowId: row.flow_id, version: row.flow_version,
      triggerNodeId: row.trigger_node_id, mode: row.mode, fresh: false, live: row.mode === 'manual' || row.mode === 'rerun',
      ...(row.parent_execution_id ? { child: true } : {}),
    }, row.priority, options.delayMs, options.jobId);
    return true;
  }
}
