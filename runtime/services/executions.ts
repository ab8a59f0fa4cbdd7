import type { Knex } from 'knex';
import type { Json } from '@switchyard/sdk';
import type { NodeRegistry } from '../../nodes/index.js';
import { findNode } from '../../nodes/index.js';
import { assertStorable } from '../db/storable.js';
import { AppError, ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { Channels } from '../queue/channels.js';
import type { Launcher } from '../queue/launcher.js';
import { parseExecutionEvents } from '../queue/step-events.js';
import { loadSteps, type StepRow } from './execution-steps.js';
import { executionAiUsage } from '../ai/usage.js';
import type { ResumeTokens } from './resume-tokens.js';
import type { FlowDocument } from '../flow/document.js';
import { resolvePayloadRefs } from '../engine/payload-refs.js';
import type {
  ExecutionEvent, ExecutionRecord, ExecutionService, ExecutionStatus, ExecutionSummary, FlowService, Priority,
} from './types.js';

export interface ExecutionServiceDeps {
  knex: Knex;
  registry: () => NodeRegistry;
  flows: FlowService;
  launcher: Launcher;
  channels: Channels;
  /** Checks `$execution.resumeUrl` tokens. */
  resumeTokens: ResumeTokens;
}

const FINISHED: ExecutionStatus[] = ['succeeded', 'failed', 'cancelled'];

/** An `executions` row as knex returns it. */
interface ExecutionRow {
  id: string;
  flow_id: string;
  flow_version: number;
  status: ExecutionStatus;
  mode: ExecutionSummary['mode'];
  priority: Priority;
  trigger_input: Json;
  trigger_node_id: string;
  result: Json | null;
  error: ExecutionSummary['error'];
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

function toSummary(row: ExecutionRow): ExecutionSummary {
  return {
    id: row.id,
    flowId: row.flow_id,
    flowVersion: row.flow_version,
    status: row.status,
    mode: row.mode,
    createdAt: new Date(row.created_at).toISOString(),
    startedAt: row.started_at ? new Date(row.started_at).toISOString() : null,
    finishedAt: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    error: row.error ?? null,
  };
}

/** A date query parameter, or a 400 naming it (an invalid Date would otherwise reach SQL as NaN). */
function isoQueryDate(name: string, value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError(400, 'invalid_query', `"${name}" must be an ISO date, e.g. 2024-05-01T00:00:00Z`);
  return date;
}

/** The trigger a manual run starts at: the one asked for, else a manual trigger, else the first trigger. */
export function pickTrigger(document: FlowDocument, registry: NodeRegistry, requested?: string): string {
  const triggers = document.nodes.filter((n) => !n.disabled && findNode(registry, n.type, n.typeVersion)?.trigger);
  if (requested) {
    if (!triggers.some((n) => n.id === requested)) throw new AppError(400, 'invalid_trigger', `node "${requested}" is not a trigger of this flow`);
    return requested;
  }
  const kindOf = (id: string) => findNode(registry, document.nodes.find((n) => n.id === id)!.type, document.nodes.find((n) => n.id === id)!.typeVersion)?.trigger?.kind;
  const chosen = triggers.find((n) => kindOf(n.id) === 'manual') ?? triggers[0];
  if (!chosen) throw new AppError(400, 'no_trigger', 'the flow has no trigger node to start from');
  return chosen.id;
}

export function createExecutionService(deps: ExecutionServiceDeps): ExecutionService {
  const { knex, launcher, channels } = deps;
  /** Waiters for status events and live watchers, by execution id (one shared subscription per process). */
  const waiters = new Map<string, Set<() => void>>();
  const watchers = new Map<string, Set<(event: ExecutionEvent) => void>>();
  let subscribed: Promise<unknown> | undefined;
  const ensureSubscribed = () => {
    subscribed ??= channels.subscribe(channels.name('events'), (message) => {
      for (const event of parseExecutionEvents(message)) {
        if (event.type === 'status') for (const wake of waiters.get(event.executionId) ?? []) wake();
        for (const listener of watchers.get(event.executionId) ?? []) listener(event);
      }
    });
    return subscribed;
  };

  async function loadRow(workspaceId: string, executionId: string): Promise<ExecutionRow> {
    const row: ExecutionRow | undefined = await knex('executions').where({ id: executionId, workspace_id: workspaceId }).first();
    if (!row) throw new NotFoundError('execution', executionId);
    return row;
  }

  const service: ExecutionService = {
    async run(workspaceId, flowId, input, options = {}) {
      const flow = await deps.flows.get(workspaceId, flowId);
      const version = options.version ?? flow.version;
      const document = version === flow.version ? flow.document : await deps.flows.getVersion(workspaceId, flowId, version);
      // A draft may be saved with problems; it cannot run until they are fixed.
      const problems = await deps.flows.validate(workspaceId, document, { flowId });
      if (problems.length > 0) throw new ValidationError(`fix the flow's ${problems.length} problem${problems.length === 1 ? '' : 's'} before running it`, problems);
      const triggerNodeId = pickTrigger(document, deps.registry(), options.triggerNodeId);
      const mode = options.mode ?? 'manual';
      const pinned = mode === 'manual' && options.pinned
        ? Object.fromEntries(Object.entries(options.pinned).filter(([nodeId]) => document.nodes.some((n) => n.id === nodeId)))
        : undefined;
      const { executionId } = await launcher.launch({
        workspaceId, flowId, version, triggerNodeId, mode, input, priority: options.priority,
        ...(pinned && Object.keys(pinned).length > 0 ? { pinned } : {}),
      });
      return { executionId };
    },

    async list(workspaceId, query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
      const q = knex('executions').where({ workspace_id: workspaceId }).orderBy('created_at', 'desc').limit(limit)
        .select('id', 'flow_id', 'flow_version', 'status', 'mode', 'created_at', 'started_at', 'finished_at', 'error');
      if (query.flowId) q.andWhere({ flow_id: query.flowId });
      if (query.status) q.andWhere({ status: query.status });
      const before = isoQueryDate('before', query.before);
      const since = isoQueryDate('since', query.since);
      const until = isoQueryDate('until', query.until);
      if (since && until && since >= until) throw new AppError(400, 'invalid_query', '"since" must be earlier than "until"');
      if (before) q.andWhere('created_at', '<', before);
      if (since) q.andWhere('created_at', '>=', since);
      if (until) q.andWhere('created_at', '<', until);
      return (await q).map(toSummary);
    },

    async get(workspaceId, executionId, view = { kind: 'all' }) {
      const row = await loadRow(workspaceId, executionId);
      const steps = await loadSteps(knex, executionId, row.trigger_input, view);
      const wait = await knex('execution_waits').where({ execution_id: executionId }).whereNull('resolution').whereNotNull('token').first('token');
      const aiUsage = await executionAiUsage(knex, executionId);
      const record: ExecutionRecord = {
        ...toSummary(row),
        triggerInput: row.trigger_input ?? null,
        result: row.result ?? null,
        ...steps,
        ...(wait && row.status === 'waiting' ? { resumePath: `/hooks/resume/${wait.token}` } : {}),
        ...(aiUsage ? { aiUsage } : {}),
      };
      return record;
    },

    async waitFor(workspaceId, executionId, timeoutMs) {
      await ensureSubscribed();
      const done = (status: ExecutionStatus) => FINISHED.includes(status) || status === 'waiting';
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        let wake!: () => void;
        const woken = new Promise<void>((resolve) => { wake = resolve; });
        const set = waiters.get(executionId) ?? new Set();
        set.add(wake);
        waiters.set(executionId, set);
        try {
          const row = await loadRow(workspaceId, executionId);
          const remaining = deadline - Date.now();
          if (done(row.status) || remaining <= 0) return service.get(workspaceId, executionId);
          // Events are the fast path; the poll interval covers a missed message.
          await Promise.race([woken, new Promise((r) => setTimeout(r, Math.min(remaining, 1000)))]);
        } finally {
          set.delete(wake);
          if (set.size === 0) waiters.delete(executionId);
        }
      }
    },

    async cancel(workspaceId, executionId) {
      const row = await loadRow(workspaceId, executionId);
      if (FINISHED.includes(row.status)) throw new ConflictError(`execution "${executionId}" already ${row.status}`);
      const [updated] = await knex('executions').where({ id: executionId }).whereIn('status', ['queued', 'running', 'waiting'])
        .update({ status: 'cancelled', finished_at: knex.fn.now(), error: JSON.stringify({ message: 'execution cancelled', code: 'cancelled' }) })
        .returning('*');
      await channels.publish(channels.name('cancel'), executionId);
      await channels.publish(channels.name('events'), JSON.stringify({ type: 'status', executionId, status: 'cancelled' } satisfies ExecutionEvent));
      return toSummary(updated ?? row);
    },

    async rerun(workspaceId, executionId, options = {}) {
      const old = await loadRow(workspaceId, executionId);
      if (!options.fromStep) {
        const { executionId: id } = await launcher.launch({
          workspaceId, flowId: old.flow_id, version: old.flow_version, triggerNodeId: old.trigger_node_id,
          mode: 'rerun', input: old.trigger_input, priority: old.priority, rerun: { of: executionId },
        });
        return { executionId: id };
      }
      const steps: StepRow[] = resolvePayloadRefs(await knex('execution_steps').where({ execution_id: executionId }).orderBy('seq', 'asc'), old.trigger_input);
      const from = steps.filter((s) => s.step_key === options.fromStep).pop();
      if (!from) throw new NotFoundError('step', options.fromStep);
      const document = await deps.flows.getVersion(workspaceId, old.flow_id, old.flow_version);
      const rerunNodes = downstreamOf(document, from.node_id);
      // Keep the latest successful record of every step that is not re-run: replay reuses them, so
      // upstream side effects are not repeated and the chosen step gets its recorded input again.
      const latest = new Map<string, StepRow>();
      for (const s of steps) latest.set(s.step_key, s);
      const kept = [...latest.values()].filter((s) => s.status === 'succeeded' && !rerunNodes.has(s.node_id));
      const launched = await launcher.launch({
        workspaceId, flowId: old.flow_id, version: old.flow_version, triggerNodeId: old.trigger_node_id,
        mode: 'rerun', input: old.trigger_input, priority: old.priority, rerun: { of: executionId, fromStep: options.fromStep }, inline: true,
      });
      if (kept.length > 0) {
        await knex('execution_steps').insert(kept.map((s, i) => ({
          execution_id: launched.executionId, workspace_id: workspaceId, step_key: s.step_key, node_id: s.node_id, node_type: s.node_type,
          status: s.status, attempt: s.attempt, input: JSON.stringify(s.input), output: JSON.stringify(s.output), error: null,
          started_at: s.started_at, finished_at: s.finished_at, duration_ms: s.duration_ms, seq: i + 1,
        })));
      }
      await launcher.enqueue({ ...launched.job!, fresh: false }, old.priority);
      return { executionId: launched.executionId };
    },

    async watch(workspaceId, executionId, listener) {
      await loadRow(workspaceId, executionId);
      await ensureSubscribed();
      const set = watchers.get(executionId) ?? new Set();
      set.add(listener);
      watchers.set(executionId, set);
      return async () => {
        set.delete(listener);
        if (set.size === 0) watchers.delete(executionId);
      };
    },

    async resume(token, payload: Json) {
      assertStorable(token, 'token');
      assertStorable(payload, 'body');
      // Only an execution still under way can be resumed: a cancelled (or otherwise finished) one
      // keeps its unresolved wait row, and its token must not claim a resume that never happens.
      // An execution's own resume URL resumes the Wait it is parked in (the oldest, in a loop).
      const executionId = deps.resumeTokens.executionOf(token);
      const match = executionId
        ? { 'w.execution_id': executionId, 'w.step_key': knex('execution_waits').where({ execution_id: executionId }).whereNotNull('token').whereNull('resolution').orderBy([{ column: 'created_at' }, { column: 'step_key' }]).limit(1).select('step_key') }
        : { 'w.token': token };
      const [wait] = await knex('execution_waits as w').where(match).whereNull('w.resolution')
        .whereExists(knex('executions as e').whereRaw('e.id = w.execution_id').whereNotIn('e.status', ['succeeded', 'failed', 'cancelled']).select(knex.raw('1')))
        .update({ resolution: JSON.stringify({ kind: 'resume', payload }), resolved_at: knex.fn.now() })
        .returning(['execution_id']);
      if (!wait) throw new NotFoundError('waiting execution for resume token', `${token.slice(0, 6)}…`);
      await launcher.continueExecution(wait.execution_id);
      return { executionId: wait.execution_id };
    },
  };
  return service;
}

/** The node and everything reachable from it. */
function downstreamOf(document: FlowDocument, nodeId: string): Set<string> {
  const result = new Set<string>([nodeId]);
  const queue = [nodeId];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const edge of document.edges) {
      if (edge.source === current && !result.has(edge.target)) {
        result.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return result;
}
