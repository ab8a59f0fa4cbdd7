import { randomBytes } from 'node:crypto';
import {
  LoopRequest, NonRetryableError, WaitRequest,
  type Json, type MemoOptions, type OutboundMessageRecord, type ResumeEvent, type SubflowOptions, type WebhookResponse,
} from '@switchyard/sdk';
import { findUnstorable, formatPath } from '../db/storable.js';
import type { Logger } from 'pino';
import type { ExpressionData } from '../sandbox/pool.js';
import { Redactor } from '../vault/redact.js';
import type { Cancellation } from './cancellation.js';
import type { ExecutorDeps } from './deps.js';
import type { FlowPlan, PlannedNode } from './plan.js';
import { Scope } from './scope.js';
import {
  CancelledError, attemptStep, backoffDelay, recordedOutcome, resumeEventFor,
  type StepError, type StepOutcome,
} from './step.js';
import type { StepRow, StepWriter } from './step-store.js';
import { CredentialResolver } from './credentials.js';
import { firstPort, nodeLogger, sleep } from './step-helpers.js';
import type { ExecutionInfo, ExecutionOutcome, RunResult, WaitRow } from './run-types.js';

export type { ExecutionInfo, RunResult, WaitRow } from './run-types.js';

interface Token {
  nodeId: string;
  edgeId?: string;
  input: Json;
}

/** A memo or sub-flow key as it goes into a step key or an execution id: checked, never rewritten. */
function subKey(key: string): string {
  if (!/^[A-Za-z0-9_.:-]{1,120}$/.test(key)) throw new NonRetryableError(`"${key.slice(0, 130)}" is not a sub-step key (1–120 letters, digits, _ . : -)`, { code: 'invalid_key' });
  return key;
}

/** Pure steps buffered past this many are committed without waiting for a side effect or the end. */
const COMMIT_BATCH_STEPS = 1000;

class StepFailed extends Error {
  constructor(readonly error: StepError) {
    super(error.message);
  }
}

/**
 * One run of an execution: walks the graph from the trigger, replaying recorded steps and running
 * the rest. Deterministic step keys (node id + loop indices + repeat count) make replay after a
 * crash or a wait land on the same records, so a side-effecting step that succeeded is never
 * run twice (DESIGN §5).
 */
export class ExecutionRun {
  private responded = false;
  private heldResponse?: WebhookResponse;
  private parked = false;
  /**
   * A side-effecting step of the root scope whose record is still buffered: it is committed before
   * the next step starts, or with the final status when none does (see `settleOwedCommit`).
   */
  private commitOwed = false;
  private owedCommit?: Promise<void>;
  /**
   * The steps this run left parked. Only their waits set the next wake-up: a wait whose step already
   * resumed keeps its row with a past time, and scheduling that (a job id already used) would drop a
   * later item's timer.
   */
  private readonly parkedSteps = new Set<string>();
  private lastOutput: Json | null = null;
  private triggerOutput: Json = null;
  private variables: Record<string, string> = {};
  private readonly cancel: Cancellation;
  private runLog?: Logger;
  /** Learns every credential this run decrypts; step records and node logs pass through it. */
  private readonly redactor = new Redactor();
  private readonly credentials: CredentialResolver;
  /** Steps this execution may still run; replayed steps were counted by the run that ran them. */
  private stepsLeft: number;
  private executionVarsCache?: ExpressionData['$execution'];

  constructor(
    private readonly deps: ExecutorDeps,
    private readonly plan: FlowPlan,
    private readonly info: ExecutionInfo,
    private readonly recorded: Map<string, StepRow>,
    private readonly waits: Map<string, WaitRow>,
    private readonly writer: StepWriter,
    cancel: Cancellation,
  ) {
    this.credentials = new CredentialResolver(deps, plan.document, info.workspaceId, this.redactor);
    // Its own, so a failed loop can stop its other items without cancelling the execution.
    this.cancel = cancel.child();
    this.stepsLeft = deps.maxSteps > 0 ? deps.maxSteps - recorded.size : Infinity;
  }

  async run(): Promise<RunResult> {
    const startedAt = Date.now();
    this.variables = await this.deps.variables(this.info.workspaceId);
    let outcome: ExecutionOutcome;
    try {
      await this.walk([{ nodeId: this.info.triggerNodeId, input: this.info.triggerInput }], new Scope(undefined, undefined));
      outcome = this.parked
        ? { status: 'waiting', result: null, error: null }
        : { status: 'succeeded', result: this.lastOutput, error: null };
    } catch (error) {
      if (error instanceof StepFailed) {
        const { message, code, nodeId } = error.error;
        outcome = { status: 'failed', result: null, error: { message, code, nodeId } };
      } else if (error instanceof CancelledError) {
        outcome = { status: 'cancelled', result: null, error: { message: 'execution cancelled', code: 'cancelled' } };
      } else {
        // The job will fail and run again: a side effect that already happened must be on record.
        await this.settleOwedCommit().catch(() => undefined);
        throw error;
      }
    }
    outcome = this.redactor.redactJson(outcome);
    await this.writer.finish(outcome, startedAt);
    const { heldResponse } = this;
    this.heldResponse = undefined;
    return { outcome, responded: this.responded, ...(heldResponse ? { heldResponse } : {}), nextWakeAt: this.nextWake() };
  }

  private nextWake(): number | undefined {
    let next: number | undefined;
    for (const stepKey of this.parkedSteps) {
      const wait = this.waits.get(stepKey);
      if (!wait || wait.resolution || !wait.until) continue;
      const at = wait.until.getTime();
      if (next === undefined || at < next) next = at;
    }
    return next;
  }

  /** Processes messages in this scope until none are left; joins fire when nothing else can reach them. */
  private async walk(initial: Token[], scope: Scope): Promise<void> {
    const queue = [...initial];
    const joins = new Map<string, Map<string, Json>>();
    for (;;) {
      if (this.cancel.aborted) throw new CancelledError();
      const token = queue.shift();
      if (!token) {
        const nodeId = this.plan.order.find((id) => joins.has(id));
        if (nodeId === undefined) return;
        const arrived = joins.get(nodeId)!;
        joins.delete(nodeId);
        const planned = this.plan.nodes.get(nodeId)!;
        const inputs = planned.incoming.filter((e) => arrived.has(e.id)).map((e) => arrived.get(e.id)!);
        await this.execute(planned, inputs, scope, queue);
        continue;
      }
      const planned = this.plan.nodes.get(token.nodeId)!;
      const mode = planned.definition.inputMode ?? 'each';
      if (mode === 'join') {
        const arrived = joins.get(token.nodeId) ?? new Map<string, Json>();
        arrived.set(token.edgeId ?? token.nodeId, token.input);
        joins.set(token.nodeId, arrived);
        if (arrived.size >= planned.incoming.length) {
          joins.delete(token.nodeId);
          await this.execute(planned, planned.incoming.filter((e) => arrived.has(e.id)).map((e) => arrived.get(e.id)!), scope, queue);
        }
      } else if (mode === 'collect') {
        const owner = this.plan.collectOwner.get(token.nodeId);
        const frame = owner ? scope.frameOf(owner) : undefined;
        if (!frame) this.fail(planned, 'collect_outside_loop', 'Collect received a message outside a For each');
        const list = frame.collected.get(token.nodeId) ?? [];
        list.push(token.input);
        frame.collected.set(token.nodeId, list);
      } else {
        await this.execute(planned, token.input, scope, queue);
      }
    }
  }

  private async execute(planned: PlannedNode, input: Json, scope: Scope, queue: Token[]): Promise<void> {
    const { node } = planned;
    if (node.disabled) {
      // A disabled node passes its input straight through its first output port.
      this.emit(planned, { [firstPort(planned)]: input }, scope, queue);
      return;
    }
    const stepKey = scope.stepKey(node.id);
    const outcome = await this.step(planned, input, stepKey, scope);
    if (outcome === 'parked') {
      this.parked = true;
      return;
    }
    if (outcome.kind === 'loop') {
      await this.loop(planned, outcome, scope, queue);
      return;
    }
    if (outcome.kind === 'outputs') this.emit(planned, outcome.outputs, scope, queue);
  }

  private emit(planned: PlannedNode, outputs: Record<string, Json>, scope: Scope, queue: Token[]): void {
    const first = Object.values(outputs)[0];
    if (first !== undefined) {
      scope.outputs.set(planned.node.id, first);
      this.lastOutput = first;
      if (planned.definition.trigger && planned.node.id === this.info.triggerNodeId) this.triggerOutput = first;
    }
    for (const [port, message] of Object.entries(outputs)) {
      for (const edge of planned.outgoing.get(port) ?? []) queue.push({ nodeId: edge.target, edgeId: edge.id, input: message });
    }
  }

  /** For each: every item walks the branch in its own scope; Collect nodes then fire once with the gathered results. */
  private async loop(planned: PlannedNode, request: { items: Json[]; port: string; concurrency: number }, scope: Scope, queue: Token[]): Promise<void> {
    const loopId = planned.node.id;
    const frames = request.items.map((_, index) => ({ loopNodeId: loopId, index, collected: new Map<string, Json[]>() }));
    const parkedBefore = this.parked;
    this.parked = false;
    let next = 0;
    const lane = async () => {
      while (next < request.items.length) {
        const index = next++;
        const item = request.items[index]!;
        const child = new Scope(scope, frames[index]);
        child.outputs.set(loopId, item);
        const edges = planned.outgoing.get(request.port) ?? [];
        await this.walk(edges.map((e) => ({ nodeId: e.target, edgeId: e.id, input: item })), child);
      }
    };
    const lanes = Array.from({ length: Math.min(request.concurrency, Math.max(1, request.items.length)) }, lane);
    const settled = await Promise.allSettled(lanes);
    const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
    if (failure) {
      this.cancel.abort();
      throw failure.reason;
    }
    const itemsParked = this.parked;
    this.parked = parkedBefore || itemsParked;
    // An item still waiting means the loop is not done: its Collect nodes fire on the resume that finishes it.
    if (itemsParked) return;
    for (const [collectId, owner] of this.plan.collectOwner) {
      if (owner !== loopId) continue;
      const gathered = frames.flatMap((f) => f.collected.get(collectId) ?? []);
      await this.execute(this.plan.nodes.get(collectId)!, gathered, scope, queue);
    }
  }

  /** Replays a recorded step or runs it (with retries); records the result. */
  private async step(planned: PlannedNode, input: Json, stepKey: string, scope: Scope): Promise<StepOutcome | 'parked'> {
    const { node, definition } = planned;
    const recorded = this.recorded.get(stepKey);
    const replay = recorded ? recordedOutcome(recorded) : undefined;
    if (replay) return replay;
    await this.settleOwedCommit();
    let resumed: ResumeEvent | undefined;
    if (recorded?.status === 'waiting') {
      const wait = this.waits.get(stepKey);
      if (wait) {
        resumed = await this.timerOrResolution(wait);
        if (!resumed) {
          this.parkedSteps.add(stepKey);
          return 'parked';
        }
      }
    }
    if (this.stepsLeft-- <= 0) {
      // Not routable by onError: it is the execution, not this node, that has run too long.
      this.fail(planned, 'too_many_steps', `the execution reached its limit of ${this.deps.maxSteps} steps at this node (SWITCHYARD_EXECUTION_MAX_STEPS)`);
    }
    const pinned = this.info.pinned?.[node.id];
    if (pinned) {
      const now = Date.now();
      this.record({ stepKey, nodeId: node.id, nodeType: definition.type, status: 'succeeded', attempt: 1, input, output: pinned, error: null, startedAt: now, finishedAt: now });
      return { kind: 'outputs', outputs: pinned };
    }
    const retry = node.settings?.retry;
    const attempts = retry?.attempts ?? 1;
    const baseAttempt = recorded?.status === 'failed' ? recorded.attempt : 0;
    for (let attempt = baseAttempt + 1; ; attempt++) {
      const startedAt = Date.now();
      this.event(stepKey, node.id, 'running');
      const outcome = this.withinStepLimit(planned, await attemptStep({
        planned, input, cancel: this.cancel, sandbox: this.deps.sandbox,
        data: this.expressionData(input, scope),
        ctx: await this.context(planned, stepKey, attempt, scope, input, resumed),
      }));
      const finishedAt = Date.now();
      this.deps.metrics.stepDuration.observe({ node_type: definition.type }, (finishedAt - startedAt) / 1000);
      const row: StepRow = { stepKey, nodeId: node.id, nodeType: definition.type, status: 'succeeded', attempt, input, output: null, error: null, startedAt, finishedAt };
      if (outcome.kind === 'failed') {
        const { message, code, details } = outcome.error;
        this.record({ ...row, status: 'failed', error: { message, code, nodeId: node.id, ...(details !== undefined ? { details } : {}) } });
        if (outcome.error.retryable && attempt - baseAttempt < attempts && retry) {
          await this.commit();
          await sleep(backoffDelay(retry, attempt), this.cancel);
          continue;
        }
        return this.handleFailure(planned, outcome.error, input);
      }
      if (outcome.kind === 'wait') {
        // A wake-up time no date can hold (a plugin's arithmetic, say) would never park properly.
        if (outcome.spec.until !== undefined && Number.isNaN(new Date(outcome.spec.until).getTime())) {
          const error = { message: `the wait would end at ${String(outcome.spec.until)} ms, which is not a valid time`, code: 'invalid_wait', nodeId: node.id, retryable: false };
          this.record({ ...row, status: 'failed', error: { message: error.message, code: error.code, nodeId: node.id } });
          return this.handleFailure(planned, error, input);
        }
        this.record({ ...row, status: 'waiting' });
        await this.park(stepKey, outcome.spec);
        return 'parked';
      }
      // A loop records its items under `$loop` (see LoopRecord) so replay can re-open the same scopes.
      const output: Record<string, Json> = outcome.kind === 'loop'
        ? { $loop: { items: outcome.items, port: outcome.port, concurrency: outcome.concurrency } }
        : outcome.outputs;
      this.record({ ...row, output });
      // The durability rule: a side-effecting step is committed before anything after it runs. A
      // long run of pure steps is committed in batches too, so the buffer and the statement stay small.
      // In the root scope nothing runs beside a step, so what comes next is the next step (which
      // commits first) or the end of the run, whose one statement then carries this record too:
      // a run ending in a send (the echo flow) commits once instead of twice (issue 12). Inside a
      // For each, another item's step may be under way, so the commit is not left for later there.
      if (definition.sideEffects !== false && scope.parent === undefined && this.writer.pendingCount < COMMIT_BATCH_STEPS) this.commitOwed = true;
      else if (definition.sideEffects !== false || this.writer.pendingCount >= COMMIT_BATCH_STEPS) await this.commit();
      return outcome;
    }
  }

  /**
   * A loop whose items alone would pass the execution's step limit fails before any item runs (each
   * item runs at least one step), as the loop node's own failure, so onError can route it.
   */
  private withinStepLimit(planned: PlannedNode, outcome: StepOutcome): StepOutcome {
    if (outcome.kind !== 'loop' || outcome.items.length <= this.stepsLeft) return outcome;
    return { kind: 'failed', error: {
      code: 'too_many_steps', nodeId: planned.node.id, retryable: false,
      message: `${outcome.items.length} items would pass the execution's limit of ${this.deps.maxSteps} steps (SWITCHYARD_EXECUTION_MAX_STEPS); ${Math.max(0, this.stepsLeft)} are left`,
    } };
  }

  private record(row: StepRow): void {
    const safe = this.redactor.redactJson(row);
    this.writer.add(safe);
    this.event(row.stepKey, row.nodeId, row.status, row.finishedAt - row.startedAt, safe.error?.message);
  }

  private event(stepKey: string, nodeId: string, status: 'running' | StepRow['status'], durationMs?: number, error?: string): void {
    if (!this.info.live) return;
    this.deps.publishEvent({ type: 'step', executionId: this.info.id, stepKey, nodeId, status, ...(durationMs !== undefined ? { durationMs } : {}), ...(error ? { error } : {}) });
  }

  private async handleFailure(planned: PlannedNode, error: StepError, input: Json): Promise<StepOutcome> {
    const onError = planned.node.settings?.onError ?? 'stop';
    const failure = { error: { message: error.message, code: error.code, nodeId: error.nodeId }, input };
    if (onError === 'continue') return { kind: 'outputs', outputs: { [firstPort(planned)]: failure } };
    if (onError === 'route') return { kind: 'outputs', outputs: { error: failure } };
    await this.commit();
    throw new StepFailed(error);
  }

  private fail(planned: PlannedNode, code: string, message: string): never {
    throw new StepFailed({ message, code, nodeId: planned.node.id, retryable: false });
  }

  /**
   * What resumes a parked step. A wait that also listens for a resume call or an event (a
   * send-and-wait's reply) and whose time is up is claimed for the timer in Postgres first: whichever
   * of the two gets the row resumes the step, and the other is ignored (the resume URL answers 404,
   * the message starts the flows that listen instead).
   */
  private async timerOrResolution(wait: WaitRow): Promise<ResumeEvent | undefined> {
    const resumed = resumeEventFor(wait, Date.now());
    if (resumed?.kind !== 'timer' || wait.resolution || (!wait.token && !wait.event)) return resumed;
    const resolution = { kind: 'timer' } as const;
    const claimed = await this.deps.knex('execution_waits').where({ execution_id: this.info.id, step_key: wait.stepKey }).whereNull('resolution')
      .update({ resolution: JSON.stringify(resolution), resolved_at: new Date() }).returning('step_key');
    if (claimed.length > 0) {
      wait.resolution = resolution;
      return resumed;
    }
    const row = await this.deps.knex('execution_waits').where({ execution_id: this.info.id, step_key: wait.stepKey }).first('resolution');
    wait.resolution = (row?.resolution ?? null) as WaitRow['resolution'];
    return resumeEventFor({ until: null, resolution: wait.resolution }, Date.now());
  }

  private async park(stepKey: string, spec: WaitRequest['spec']): Promise<void> {
    const token = spec.resumable ? randomBytes(24).toString('base64url') : null;
    const until = spec.until !== undefined ? new Date(spec.until) : null;
    await this.info.beforePark?.();
    await this.commit();
    await this.deps.knex('execution_waits')
      .insert({ execution_id: this.info.id, step_key: stepKey, workspace_id: this.info.workspaceId, until, token, event: spec.event ?? null, resolution: null })
      .onConflict(['execution_id', 'step_key'])
      // A resolution already there stays: a sub-flow may have finished before this run parked. One
      // that another sub-flow left (an agent awaiting its next flow tool, decision 035) is spent.
      .merge({
        until, token, event: spec.event ?? null,
        resolution: this.deps.knex.raw(`case when excluded.event like 'subflow:%' and (execution_waits.resolution->>'name') is distinct from excluded.event
          then null else execution_waits.resolution end`),
      });
    this.waits.set(stepKey, { stepKey, until, token, event: spec.event ?? null, resolution: null });
    this.parkedSteps.add(stepKey);
  }

  /** `$execution`, the same for every step of this run. */
  private get executionVars(): ExpressionData['$execution'] {
    const { info } = this;
    this.executionVarsCache ??= { id: info.id, flowId: info.flowId, mode: info.mode, resumeUrl: this.deps.resumeUrl(info.id) };
    return this.executionVarsCache;
  }

  private expressionData(input: Json, scope: Scope): ExpressionData {
    const triggerOutput = this.triggerOutput;
    const variables = this.variables;
    let nodes: Record<string, { json: Json }> | undefined;
    return {
      $json: input,
      $trigger: triggerOutput,
      // Built on first use: most steps have no expression that needs other nodes' outputs.
      get $node() {
        nodes ??= scope.visibleOutputs();
        return nodes;
      },
      $vars: variables,
      $execution: this.executionVars,
    };
  }

  private async context(planned: PlannedNode, stepKey: string, attempt: number, scope: Scope, input: Json, resumed: ResumeEvent | undefined) {
    const { node, definition } = planned;
    const credentials = await this.credentials.forNode(planned);
    const data = () => this.expressionData(input, scope);
    return {
      executionId: this.info.id,
      flowId: this.info.flowId,
      workspaceId: this.info.workspaceId,
      nodeId: node.id,
      attempt,
      idempotencyKey: `${this.info.id}:${stepKey}`,
      credentials,
      http: this.deps.http,
      log: nodeLogger(() => this.log.child({ nodeId: node.id, stepKey }), this.redactor),
      resumed,
      wait: (spec: WaitRequest['spec']) => new WaitRequest(spec),
      loop: (items: Json[], port: string, concurrency: number) => new LoopRequest(items, port, concurrency),
      memo: (key: string, run: () => Promise<Json>, options?: MemoOptions) => this.memo(planned, stepKey, key, run, options?.input ?? null),
      // Built-in control nodes only (and the agent, whose flow tools are sub-flows): plugin nodes run
      // in the sandbox and never get these.
      core: definition.type.startsWith('core.') || definition.type === 'ai.agent' ? {
        respond: (response: WebhookResponse) => this.respond(response),
        startSubflow: async (flowId: string, subInput: Json, options?: SubflowOptions) => {
          // A finished child continues this execution: hold its lock before the child exists.
          await this.info.beforePark?.();
          return this.deps.startSubflow({
            childId: `${this.info.id}.${stepKey}${options?.key ? `.${subKey(options.key)}` : ''}`, workspaceId: this.info.workspaceId, flowId, input: subInput,
            parentExecutionId: this.info.id, parentStepKey: stepKey,
          });
        },
        runCode: (source: string) => this.deps.sandbox.runCode({
          cacheKey: `${this.plan.flowId}@${this.plan.version}:${node.id}`, source, data: data(),
          timeoutMs: Math.min(this.deps.sandboxTimeoutMs, node.settings?.timeoutMs ?? Infinity),
        }),
      } : undefined,
      // Built-in channel nodes' conversation store, send-and-wait and rate limits (plugin nodes run
      // through a proxy that does not pass it on).
      channels: this.deps.channels?.({
        workspaceId: this.info.workspaceId, executionId: this.info.id, stepKey, mode: this.info.mode, triggerInput: this.info.triggerInput,
        deferOutbound: (message) => this.deferOutbound(message, stepKey),
      }),
      knowledge: this.deps.knowledge?.(this.info.workspaceId),
      ai: this.deps.ai?.(this.info.workspaceId),
      payments: this.deps.payments?.({ workspaceId: this.info.workspaceId, flowId: this.info.flowId, executionId: this.info.id, stepKey }),
      escalations: this.deps.escalations?.({ workspaceId: this.info.workspaceId, flowId: this.info.flowId, executionId: this.info.id, stepKey, nodeId: node.id }),
      decisions: this.deps.decisions?.({ workspaceId: this.info.workspaceId, flowId: this.info.flowId, executionId: this.info.id, stepKey, nodeType: definition.type }),
    };
  }

  /**
   * `ctx.memo`: the sub-step's recorded result, or `run` once, recorded under `<stepKey>/<key>` with
   * the step's node and committed before it is returned (decision 035). The walk never visits a
   * sub-step key, so these records only ever answer `memo`; re-running a node from the execution
   * page leaves its sub-steps behind with it (they share its node id).
   */
  private async memo(planned: PlannedNode, stepKey: string, key: string, run: () => Promise<Json>, input: Json): Promise<Json> {
    const { node, definition } = planned;
    const memoKey = `${stepKey}/${subKey(key)}`;
    const recorded = this.recorded.get(memoKey);
    if (recorded?.status === 'succeeded' && recorded.output) return recorded.output.main ?? null;
    const startedAt = Date.now();
    const value = await run();
    const found = findUnstorable(value) ?? findUnstorable(input);
    if (found) throw new NonRetryableError(`the result of "${key}" cannot be recorded: ${formatPath(found.path, '$')} ${found.message}`, { code: 'invalid_output' });
    const row: StepRow = {
      stepKey: memoKey, nodeId: node.id, nodeType: definition.type, status: 'succeeded', attempt: 1,
      input, output: { main: value }, error: null, startedAt, finishedAt: Date.now(),
    };
    this.record(row);
    this.recorded.set(memoKey, row);
    await this.commit();
    return value;
  }

  /**
   * A send's conversation record rides with the step's own commit (decision 044). Only for an
   * account this run loaded as one of its workspace's credentials (anything else is checked by a
   * direct write, which fails the step), and once the execution row exists.
   */
  private deferOutbound(message: OutboundMessageRecord, stepKey: string): boolean {
    if (this.writer.rowPending || !this.credentials.loaded(message.credentialId)) return false;
    this.writer.addOutbound({ message, stepKey });
    return true;
  }

  /**
   * Built on first use: a pino child per execution and per step measured at ~13% of worker CPU,
   * and most runs never log a line.
   */
  private get log(): Logger {
    this.runLog ??= this.deps.log.child({ executionId: this.info.id, flowId: this.info.flowId });
    return this.runLog;
  }

  /**
   * Commits what a side-effecting step left owed, before a step starts (or the run gives up). Steps
   * of For each items start side by side: they all wait for the one commit.
   */
  private async settleOwedCommit(): Promise<void> {
    if (this.commitOwed) {
      this.commitOwed = false;
      const commit: Promise<void> = this.commit().finally(() => {
        if (this.owedCommit === commit) this.owedCommit = undefined;
      });
      this.owedCommit = commit;
    }
    if (this.owedCommit) await this.owedCommit;
  }

  /** Commits what is buffered, then sends a response that was waiting for the execution row to exist. */
  private async commit(): Promise<void> {
    await this.writer.flush();
    this.releaseResponse();
  }

  private releaseResponse(): void {
    const response = this.heldResponse;
    if (!response) return;
    this.heldResponse = undefined;
    this.send(response);
  }

  private respond(response: WebhookResponse): void {
    if (this.responded || !this.info.replyTo) return;
    this.responded = true;
    // No 2xx before the execution is in Postgres: with a deferred row (decision 007) the answer
    // leaves at the next commit — at the latest before the next side effect, or at the end.
    if (this.writer.rowPending) {
      this.heldResponse = response;
      return;
    }
    this.send(response);
  }

  private send(response: WebhookResponse): void {
    if (!this.info.replyTo) return;
    this.deps.respond(this.info.replyTo, this.info.id, response).catch((error: unknown) => {
      this.log.warn({ err: error }, 'could not deliver the webhook response');
    });
  }
}
