import { DelayedError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Knex } from 'knex';
import type { Json, WebhookResponse } from '@switchyard/sdk';
import type { Logger } from 'pino';
import { Cancellation } from '../engine/cancellation.js';
import { ExecutionRun, type ExecutionInfo, type RunResult, type WaitRow } from '../engine/executor.js';
import type { ExecutorDeps } from '../engine/deps.js';
import { FinishGroup } from '../engine/finish-group.js';
import { StepWriter, loadRecordedSteps, type StepRow } from '../engine/step-store.js';
import type { ResumeResolution } from '../engine/step.js';
import type { Channels } from './channels.js';
import { ExecutionBusyError, type ExecutionLocks, type FlowConcurrency } from './concurrency.js';
import type { FlowPlan } from '../engine/plan.js';
import { EXECUTION_QUEUE, type JobDataByName, type JobName, type PollJobData, type RunJobData, type ScheduleJobData } from './jobs.js';
import type { Launcher } from './launcher.js';
import type { PlanLoader } from './plans.js';
import type { StepEventBatcher } from './step-events.js';
import { pruneExecutions } from '../services/retention.js';
import { pruneConversations } from '../conversations/retention.js';

export interface ExecutionWorkerOptions {
  connection: Redis;
  prefix: string;
  knex: Knex;
  deps: ExecutorDeps;
  plans: PlanLoader;
  launcher: Launcher;
  channels: Channels;
  /** One run per execution at a time, for executions that can park. */
  executionLocks: ExecutionLocks;
  /** Where the executor's live step events wait; flushed before each execution's status event. */
  stepEvents: StepEventBatcher;
  concurrency: FlowConcurrency;
  log: Logger;
  /** Executions in flight in this process. Default: 20. */
  workerConcurrency?: number;
  /**
   * BullMQ workers the concurrency is split between. One per execution slot means a finishing
   * execution fetches its successor in the same round trip and no fetch is speculative (decision
   * 015); each costs a Redis connection and ~0.4 MB. Default: `workerConcurrency`, at most 32.
   */
  fetchers?: number;
  /** Finished executions older than this many days are pruned every 10 minutes; 0 keeps them. Default: 0. */
  executionsMaxAgeDays?: number;
  /** Runs one poll of a polling channel trigger (the inbound gateway). Default: poll jobs do nothing. */
  pollTrigger?: (data: PollJobData, repeatJobKey?: string) => Promise<void>;
  /**
   * How long a job's lock lives without renewal. A worker killed with -9 stops renewing; after this
   * its execution is handed to another worker, which replays it from the recorded steps. Default: 30 000 ms.
   */
  lockDurationMs?: number;
}

/** How often each worker deletes executions past their retention. */
const PRUNE_INTERVAL_MS = 10 * 60_000;

/** The default number of fetchers stops here: past it, slots share fetchers instead of each holding a Redis connection. */
const MAX_DEFAULT_FETCHERS = 32;

type AnyJob = Job<JobDataByName[JobName], unknown, JobName>;

/** A BullMQ worker that runs executions; one per `switchyard worker` process. */
export class ExecutionWorker {
  /**
   * BullMQ workers sharing this process's executions, one per slot by default (decisions 014, 015):
   * each blocks on the queue's marker on its own connection, and a finishing execution's
   * `moveToFinished` hands its slot the next job in the same round trip.
   */
  readonly workers: Worker<JobDataByName[JobName], unknown, JobName>[];
  private readonly running = new Map<string, Cancellation>();
  /** Executions finishing together share one final statement (decision 045). */
  private readonly finishes: FinishGroup;
  private unsubscribeCancel?: () => Promise<void>;
  private sweepTimer?: NodeJS.Timeout;
  private pruneTimers: NodeJS.Timeout[] = [];

  constructor(private readonly options: ExecutionWorkerOptions) {
    const lockDuration = options.lockDurationMs ?? 30_000;
    this.finishes = new FinishGroup(options.knex);
    const concurrency = options.workerConcurrency ?? 20;
    const fetchers = Math.max(1, Math.min(options.fetchers ?? Math.min(concurrency, MAX_DEFAULT_FETCHERS), concurrency));
    this.workers = Array.from({ length: fetchers }, (_, k) => new Worker<JobDataByName[JobName], unknown, JobName>(EXECUTION_QUEUE, (job, token) => this.process(job, token), {
      connection: options.connection,
      prefix: options.prefix,
      // The process's concurrency, split between its fetchers.
      concurrency: Math.floor(concurrency / fetchers) + (k < concurrency % fetchers ? 1 : 0),
      lockDuration,
      // Check for stalled jobs twice per lock period so a dead worker's executions move on quickly.
      stalledInterval: Math.max(1000, Math.floor(lockDuration / 2)),
      // The check covers the whole queue: one fetcher per process runs it.
      skipStalledCheck: k > 0,
      // Resuming is safe (steps replay from Postgres), so a job may stall a few times before we give up.
      maxStalledCount: 5,
      autorun: false,
    }));
    for (const worker of this.workers) this.watch(worker);
  }

  private watch(worker: Worker<JobDataByName[JobName], unknown, JobName>): void {
    const { options } = this;
    worker.on('failed', (job, error) => {
      if (!job || job.name !== 'run' || (job.attemptsMade < (job.opts.attempts ?? 1))) return;
      // Out of infrastructure retries: record the failure so the execution doesn't stay "running" forever.
      const data = job.data as RunJobData;
      options.log.error({ executionId: data.executionId, err: error }, 'execution job failed for good');
      const failure = { status: 'failed', finished_at: new Date(), error: JSON.stringify({ message: 'internal error while running the execution', code: 'internal' }) };
      const recorded = data.deferred
        // A deferred execution may have no row yet (decision 007): write it as failed.
        ? options.knex('executions').insert({
          id: data.executionId, workspace_id: data.workspaceId, flow_id: data.flowId, flow_version: data.version, mode: data.mode,
          priority: data.deferred.priority, trigger_node_id: data.triggerNodeId, trigger_input: JSON.stringify(data.input ?? null),
          created_at: new Date(data.deferred.createdAt), ...failure,
        }).onConflict('id').merge(['status', 'finished_at', 'error']).whereIn('executions.status', ['queued', 'running'])
        : options.knex('executions').where({ id: data.executionId }).whereIn('status', ['queued', 'running']).update(failure);
      void recorded.then(async () => {
        await this.publishStatus(data.executionId, 'failed');
        if (data.replyTo) {
          await options.deps.respond(data.replyTo, data.executionId, { status: 500, headers: {}, body: { error: { code: 'internal', message: 'internal error while running the execution' } } });
        }
      }).catch((e: unknown) => options.log.error({ err: e, executionId: data.executionId }, 'could not record the failed execution'));
    });
    worker.on('error', (error) => options.log.error({ err: error }, 'worker error'));
  }

  async start(): Promise<void> {
    this.unsubscribeCancel = await this.options.channels.subscribe(this.options.channels.name('cancel'), (executionId) => {
      this.running.get(executionId)?.abort();
    });
    for (const worker of this.workers) void worker.run();
    await Promise.all(this.workers.map((worker) => worker.waitUntilReady()));
    // Every worker sweeps; the job id check makes a double sweep harmless.
    this.sweepTimer = setInterval(() => {
      this.options.launcher.sweepOrphans().then(
        (n) => { if (n > 0) this.options.log.warn({ requeued: n }, 're-queued executions that had lost their job'); },
        (error: unknown) => this.options.log.warn({ err: error }, 'orphan sweep failed'),
      );
    }, 30_000);
    this.sweepTimer.unref();
    const maxAgeDays = this.options.executionsMaxAgeDays ?? 0;
    if (maxAgeDays > 0) {
      const prune = () => Promise.all([pruneExecutions(this.options.knex, { maxAgeDays }), pruneConversations(this.options.knex, { maxAgeDays })]).then(
        ([n, c]) => { if (n.executions + n.inboundEvents + c.messages + c.channelEvents > 0) this.options.log.info({ ...n, ...c }, 'pruned executions and conversations past their retention'); },
        (error: unknown) => this.options.log.warn({ err: error }, 'execution pruning failed'),
      );
      // A minute after start (not during it), then every 10 minutes.
      this.pruneTimers = [setTimeout(() => void prune(), 60_000), setInterval(() => void prune(), PRUNE_INTERVAL_MS)];
      for (const timer of this.pruneTimers) timer.unref();
    }
  }

  /** Stops taking jobs and waits for running ones (graceful SIGTERM); their state is in Postgres either way. */
  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    for (const timer of this.pruneTimers) clearTimeout(timer);
    await Promise.all(this.workers.map((worker) => worker.close()));
    this.options.stepEvents.close();
    await this.unsubscribeCancel?.();
  }

  private async process(job: AnyJob, token: string | undefined): Promise<unknown> {
    if (job.name === 'poll') {
      await this.options.pollTrigger?.(job.data as PollJobData, job.repeatJobKey);
      return null;
    }
    if (job.name === 'schedule') {
      const data = job.data as ScheduleJobData;
      const launched = await this.launchScheduled(data, job);
      if (!launched) return null;
      return this.runExecution(launched, job, token);
    }
    return this.runExecution(job.data as RunJobData, job, token);
  }

  private async launchScheduled(data: ScheduleJobData, job: AnyJob): Promise<RunJobData | undefined> {
    const flow = await this.options.knex('schedules as s').join('flows as f', 'f.id', 's.flow_id')
      .where({ 's.flow_id': data.flowId, 's.node_id': data.nodeId, 'f.workspace_id': data.workspaceId, 'f.active': true })
      .whereNull('f.deleted_at').first('f.active_version');
    if (!flow?.active_version) {
      // Postgres has no such schedule any more (a change that died before Redis followed it):
      // this scheduler would fire for nothing forever.
      if (job.repeatJobKey) await this.options.launcher.removeScheduler(job.repeatJobKey);
      return undefined;
    }
    const input: Json = { firedAt: new Date(job.timestamp).toISOString(), scheduledFor: job.opts.prevMillis ? new Date(job.opts.prevMillis).toISOString() : null };
    const result = await this.options.launcher.launch({
      workspaceId: data.workspaceId, flowId: data.flowId, version: flow.active_version, triggerNodeId: data.nodeId,
      mode: 'schedule', input, inline: true,
    });
    return result.job;
  }

  private async runExecution(data: RunJobData, job: AnyJob, token: string | undefined): Promise<unknown> {
    const plan = await this.options.plans.get(data.flowId, data.version);
    // A fresh job on its first try has nothing recorded: skip the reads on the hot path.
    const resumed = !data.fresh || job.attemptsStarted > 1 || job.attemptsMade > 0;
    const locks = this.options.executionLocks;
    const holder = job.id ?? data.executionId;
    // One acquisition per run, shared: For each items may park side by side.
    let locking: Promise<boolean> | undefined;
    let stopRenewing: (() => void) | undefined;
    const lock = (): Promise<boolean> => locking ??= locks.acquire(data.executionId, holder).then((held) => {
      if (held) stopRenewing = locks.keepAlive(data.executionId, holder);
      else locking = undefined;
      return held;
    });
    // Only an execution that parked can have another job (a continuation) running for it, so a
    // continuation or a retry takes the lock before it runs. A fresh run takes it only when it is
    // about to park or start a sub-flow (`beforePark`), before anything can continue it: a run that
    // never parks — most of them — costs Redis nothing for it.
    if (resumed && !(await lock())) {
      await job.moveToDelayed(Date.now() + 100 + Math.floor(Math.random() * 200), token);
      throw new DelayedError();
    }
    const beforePark = async () => {
      if (!(await lock())) throw new ExecutionBusyError(data.executionId);
    };
    try {
      return await this.runLocked(plan, resumed, data, job, token, beforePark);
    } finally {
      if (stopRenewing) {
        stopRenewing();
        await locks.release(data.executionId, holder);
      }
    }
  }

  private async runLocked(plan: FlowPlan, resumed: boolean, data: RunJobData, job: AnyJob, token: string | undefined, beforePark: () => Promise<void>): Promise<unknown> {
    const { knex, deps } = this.options;
    const limit = plan.document.settings?.concurrency;
    if (limit && !(await this.options.concurrency.acquire(data.flowId, data.executionId, limit))) {
      // Over the flow's limit: come back shortly, without counting as an attempt.
      await job.moveToDelayed(Date.now() + 250 + Math.floor(Math.random() * 250), token);
      throw new DelayedError();
    }
    const stopRenewing = limit ? this.options.concurrency.keepAlive(data.flowId, data.executionId) : undefined;
    try {
      let recorded = new Map<string, StepRow>();
      let count = 0;
      const waits = new Map<string, WaitRow>();
      let input = data.input;
      // A deferred execution has no row until this worker's first commit (decision 007).
      let rowExists = !data.deferred;
      if (resumed || input === undefined) {
        const row = await knex('executions').where({ id: data.executionId }).first('status', 'trigger_input');
        if (row) rowExists = true;
        if (row ? ['succeeded', 'failed', 'cancelled'].includes(row.status) : !data.deferred) return null;
        input = row ? row.trigger_input : input;
        if (resumed && row) {
          ({ latest: recorded, count } = await loadRecordedSteps(knex, data.executionId, input ?? null));
          for (const w of await knex('execution_waits').where({ execution_id: data.executionId })) {
            waits.set(w.step_key, { stepKey: w.step_key, until: w.until ? new Date(w.until) : null, token: w.token, event: w.event, resolution: w.resolution as ResumeResolution | null });
          }
        }
      }
      const info: ExecutionInfo = {
        id: data.executionId, workspaceId: data.workspaceId, flowId: data.flowId, mode: data.mode,
        triggerNodeId: data.triggerNodeId, triggerInput: input ?? null, replyTo: data.replyTo, live: data.live, pinned: data.pinned, beforePark,
      };
      const cancel = new Cancellation();
      this.running.set(data.executionId, cancel);
      let result: RunResult;
      try {
        const writer = new StepWriter(knex, data.executionId, data.workspaceId, count, info.triggerInput, rowExists || !data.deferred ? undefined : {
          id: data.executionId, workspaceId: data.workspaceId, flowId: data.flowId, version: data.version, mode: data.mode,
          priority: data.deferred.priority, triggerNodeId: data.triggerNodeId, triggerInput: info.triggerInput, createdAt: data.deferred.createdAt,
        }, (threads) => deps.conversationsChanged?.(data.workspaceId, threads), this.finishes);
        result = await new ExecutionRun(deps, plan, info, recorded, waits, writer, cancel).run();
      } finally {
        this.running.delete(data.executionId);
      }
      await this.afterRun(data, result);
      return { status: result.outcome.status };
    } finally {
      stopRenewing?.();
      if (limit) await this.options.concurrency.release(data.flowId, data.executionId);
    }
  }

  private async afterRun(data: RunJobData, result: RunResult): Promise<void> {
    const { outcome } = result;
    const { launcher, deps, knex } = this.options;
    deps.metrics.executions.inc({ status: outcome.status });
    if (outcome.status === 'waiting' && result.nextWakeAt !== undefined) {
      await launcher.continueExecution(data.executionId, {
        delayMs: Math.max(0, result.nextWakeAt - Date.now()),
        jobId: `wake:${data.executionId}:${result.nextWakeAt}`,
      });
    }
    const reply = result.heldResponse ?? (result.responded ? undefined : syncResponse(data, outcome));
    if (!data.live && !(data.replyTo && reply)) {
      // Nobody is watching this run as it happens: its status waits for the window (step-events.ts).
      this.options.stepEvents.push({ type: 'status', executionId: data.executionId, status: outcome.status });
    } else {
      this.publishAnswer(data, outcome.status, reply);
    }
    if (data.child && (outcome.status === 'succeeded' || outcome.status === 'failed' || outcome.status === 'cancelled')) {
      // A finished sub-flow resumes the parent step that waits for it.
      const row = await knex('executions').where({ id: data.executionId }).first('parent_execution_id', 'parent_step_key');
      if (row?.parent_execution_id) {
        const resolution: ResumeResolution = outcome.status === 'succeeded'
          ? { kind: 'event', name: `subflow:${data.executionId}`, payload: outcome.result }
          : { kind: 'event', name: `subflow:${data.executionId}`, payload: null, error: { message: subflowFailure(outcome), code: 'subflow_failed' } };
        // Written whether or not the parent has recorded its wait yet: a quick child can finish
        // before the parent's run parks, and the parent's park keeps a resolution it finds.
        const resolved = await knex('execution_waits')
          .insert({
            execution_id: row.parent_execution_id, step_key: row.parent_step_key, workspace_id: data.workspaceId,
            event: `subflow:${data.executionId}`, resolution: JSON.stringify(resolution), resolved_at: new Date(),
          })
          .onConflict(['execution_id', 'step_key']).merge(['resolution', 'resolved_at'])
          // Or one another sub-flow of the same step left (an agent's earlier flow tool; decision 035):
          // it was spent before this child started, and the step may not have parked again yet.
          .where((q) => q.whereNull('execution_waits.resolution').orWhereRaw('execution_waits.event is distinct from excluded.event'))
          .returning('step_key');
        if (resolved.length > 0) await launcher.continueExecution(row.parent_execution_id);
      }
    }
  }

  /** The caller's answer and the status event, published at once after the run's step events. */
  private publishAnswer(data: RunJobData, status: string, reply: WebhookResponse | undefined): void {
    // Sent together: one round trip for the caller's answer and the status event. Not awaited: it
    // goes out on BullMQ's own connection just before the job's moveToFinished, so Redis still
    // publishes first, and both answers come back in one wake-up of this process instead of two.
    const { channels } = this.options;
    this.options.stepEvents.flush(data.executionId);
    channels.publishAll([
      ...(data.replyTo && reply ? [[channels.name(`reply:${data.replyTo}`), channels.encodeReply(data.executionId, reply)] as const] : []),
      [channels.name('events'), statusEvent(data.executionId, status)],
    ]).catch((error: unknown) => this.options.log.warn({ err: error, executionId: data.executionId }, 'could not publish the execution\'s answer'));
  }

  private async publishStatus(executionId: string, status: string): Promise<void> {
    const { channels } = this.options;
    this.options.stepEvents.flush(executionId);
    await channels.publish(channels.name('events'), statusEvent(executionId, status));
  }
}

function statusEvent(executionId: string, status: string): string {
  return JSON.stringify({ type: 'status', executionId, status });
}

/**
 * Why a sub-flow did not succeed, for the step that called it. A failure passed up through nested
 * sub-flows keeps the first reason instead of gaining a prefix per level.
 */
function subflowFailure(outcome: RunResult['outcome']): string {
  if (outcome.error?.code === 'subflow_failed') return outcome.error.message;
  return `sub-flow ${outcome.status}: ${outcome.error?.message ?? ''}`;
}

/** What a sync webhook caller gets when no Respond node answered. */
function syncResponse(data: RunJobData, outcome: RunResult['outcome']): WebhookResponse {
  if (outcome.status === 'failed') {
    return { status: 500, headers: {}, body: { error: { code: 'execution_failed', message: outcome.error?.message ?? 'execution failed', details: [{ nodeId: outcome.error?.nodeId ?? null, executionId: data.executionId }] } } };
  }
  if (outcome.status === 'waiting') return { status: 202, headers: {}, body: { executionId: data.executionId, status: 'waiting' } };
  if (outcome.status === 'cancelled') return { status: 409, headers: {}, body: { error: { code: 'cancelled', message: 'execution cancelled' } } };
  if (data.respondMode === 'respondNode') {
    return { status: 500, headers: {}, body: { error: { code: 'no_response', message: 'the flow finished without reaching a Respond node' } } };
  }
  return { status: 200, headers: {}, body: outcome.result };
}
