import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import type { NodeRegistry } from '../../nodes/index.js';
import { findNode } from '../../nodes/index.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { FlowDocument } from '../flow/document.js';
import { schedulerKey } from '../queue/jobs.js';
import type { ChannelTriggerLifecycle, ChannelTriggerRow } from '../gateway/lifecycle.js';

export interface FlowTriggerDeps {
  knex: Knex;
  registry: () => NodeRegistry;
  queue: Queue;
  /** Channel triggers' rows, provider registration and pollers (the inbound gateway). Default: none. */
  channelTriggers?: ChannelTriggerLifecycle;
}

/** The flow row as the trigger changes leave it. */
export interface ActivationRow {
  id: string;
  active: boolean;
  active_version: number | null;
}

/**
 * A flow's triggers (webhook routes and schedules) in Postgres, and the BullMQ job schedulers that
 * run its schedules. Postgres is the record; Redis follows it.
 */
export function createFlowTriggers(deps: FlowTriggerDeps) {
  const { knex, queue } = deps;

  async function registerWebhook(trx: Knex.Transaction, row: { workspace_id: string; path: string; method: string; flow_id: string; node_id: string; flow_version: number }) {
    const taken = await trx('webhooks').where({ path: row.path, method: row.method }).first('flow_id');
    const conflict = () => new ConflictError(`webhook path ${row.method} /hooks/${row.path} is already used by flow "${taken?.flow_id ?? 'another flow'}"`, [
      { code: 'duplicate_webhook_path', nodeId: row.node_id, message: `${row.method} /hooks/${row.path} is taken by another active flow` },
    ]);
    if (taken) throw conflict();
    try {
      await trx('webhooks').insert(row);
    } catch (error) {
      // Another flow claimed the path between the check and the insert (the primary key decides).
      if ((error as { code?: string }).code === '23505') throw conflict();
      throw error;
    }
  }

  async function clearTriggers(trx: Knex.Transaction, flowId: string) {
    await trx('webhooks').where({ flow_id: flowId }).delete();
    await trx('schedules').where({ flow_id: flowId }).delete();
    await trx('channel_triggers').where({ flow_id: flowId }).delete();
  }

  /** Adds the trigger rows of `document` (as version `version`) to a flow that has none. */
  async function registerTriggers(trx: Knex.Transaction, workspaceId: string, flowId: string, version: number, document: FlowDocument) {
    for (const node of document.nodes) {
      const kind = findNode(deps.registry(), node.type, node.typeVersion)?.trigger?.kind;
      if (node.disabled || !kind) continue;
      if (kind === 'webhook') {
        await registerWebhook(trx, {
          workspace_id: workspaceId, path: String(node.props.path ?? '').replace(/^\/+|\/+$/g, ''),
          method: String(node.props.method ?? 'POST').toUpperCase(), flow_id: flowId, node_id: node.id, flow_version: version,
        });
      } else if (kind === 'channel') {
        // Its account row, and the provider registration: a refusal rolls the activation back.
        await deps.channelTriggers?.activate(trx, workspaceId, flowId, version, document, node);
      } else if (kind === 'schedule') {
        await trx('schedules').insert({
          id: randomUUID(), workspace_id: workspaceId, flow_id: flowId, node_id: node.id,
          cron: String(node.props.cron), timezone: String(node.props.timezone ?? 'UTC'),
        });
      }
    }
  }

  /** Makes the flow's job schedulers match its `schedules` rows as `db` sees them. */
  async function syncSchedulers(db: Knex, workspaceId: string, flowId: string, before: { node_id: string }[]) {
    const now = await db('schedules').where({ flow_id: flowId });
    for (const old of before) {
      if (!now.some((s) => s.node_id === old.node_id)) await queue.removeJobScheduler(schedulerKey(flowId, old.node_id));
    }
    for (const s of now) await upsertScheduler(workspaceId, flowId, s);
  }

  /** The job scheduler of one schedule row: its cron and time zone, and the job it adds. */
  function upsertScheduler(workspaceId: string, flowId: string, schedule: { node_id: string; cron: string; timezone: string }) {
    return queue.upsertJobScheduler(schedulerKey(flowId, schedule.node_id), { pattern: schedule.cron, tz: schedule.timezone }, {
      name: 'schedule', data: { workspaceId, flowId, nodeId: schedule.node_id },
      opts: { removeOnComplete: true, removeOnFail: true },
    });
  }

  return {
    /**
     * Activates `target` (a version and its document; with `onlyIfActive`, only a flow still active)
     * or, when undefined, deactivates the flow (and with `remove`, marks it deleted in the same step,
     * so no activation can slip in between and leave a deleted flow holding its webhook path).
     * One change per flow at a time: its row stays locked until the change — BullMQ's schedulers
     * included — is done, so concurrent activations, deactivations and saves (a double click, two
     * tabs, two web processes) end in the state of the last one, never in a mix of them.
     */
    async set(workspaceId: string, flowId: string, target: { version: number; document: FlowDocument; onlyIfActive?: boolean } | undefined, options: { remove?: boolean } = {}): Promise<ActivationRow> {
      let removed: ChannelTriggerRow[] = [];
      const row = await knex.transaction(async (trx) => {
        const locked = await trx('flows').where({ id: flowId, workspace_id: workspaceId }).whereNull('deleted_at').forUpdate().first('*');
        if (!locked) throw new NotFoundError('flow', flowId);
        // A save moves an active flow's triggers to the new version; a deactivation that got in
        // between wins.
        if (target?.onlyIfActive && !locked.active) return locked as ActivationRow;
        const before = await trx('schedules').where({ flow_id: flowId }).select('node_id');
        const channelBefore = await deps.channelTriggers?.rows(trx, flowId) ?? [];
        await clearTriggers(trx, flowId);
        if (target) await registerTriggers(trx, workspaceId, flowId, target.version, target.document);
        const [row] = await trx('flows').where({ id: flowId })
          .update(target ? { active: true, active_version: target.version, updated_at: knex.fn.now() }
            : { active: false, updated_at: knex.fn.now(), ...(options.remove ? { deleted_at: knex.fn.now() } : {}) })
          .returning('*');
        // Under the lock, so the last change also writes Redis last. Should the commit still fail
        // after this, the schedulers are put right by `reconcile` and by a schedule firing for a
        // flow that has no such schedule (the worker removes that scheduler).
        await syncSchedulers(trx, workspaceId, flowId, before);
        if (deps.channelTriggers) {
          await deps.channelTriggers.syncPollers(trx, flowId, channelBefore);
          const now = await deps.channelTriggers.rows(trx, flowId);
          removed = channelBefore.filter((old) => !now.some((r) => r.node_id === old.node_id && r.credential_id === old.credential_id));
        }
        return row as ActivationRow;
      });
      // After the commit: the provider is told to stop only once Postgres says nothing listens.
      if (removed.length > 0) await deps.channelTriggers?.unregisterUnused(removed);
      return row;
    },

    /**
     * Makes Redis's job schedulers match the `schedules` rows of every active flow: adds the missing
     * or different (Redis lost its data, or a change died between Postgres and Redis) and removes
     * the orphaned. Returns how many it added or updated, and removed.
     */
    async reconcile(): Promise<{ added: number; removed: number }> {
      const rows = await knex('schedules as s').join('flows as f', 'f.id', 's.flow_id')
        .where('f.active', true).whereNull('f.deleted_at')
        .select('s.workspace_id', 's.flow_id', 's.node_id', 's.cron', 's.timezone');
      const wanted = new Map(rows.map((r) => [schedulerKey(r.flow_id, r.node_id), r]));
      const existing = new Map<string, { pattern?: string; tz?: string; every?: number }>();
      for (const scheduler of await queue.getJobSchedulers(0, -1)) existing.set(scheduler.key, scheduler);
      let added = 0;
      let removed = 0;
      for (const [key, s] of wanted) {
        const current = existing.get(key);
        if (current && current.pattern === s.cron && (current.tz ?? 'UTC') === s.timezone) continue;
        await upsertScheduler(s.workspace_id, s.flow_id, s);
        added++;
      }
      const pollers = await deps.channelTriggers?.wantedPollers() ?? new Map();
      for (const [key, poller] of pollers) {
        if (existing.get(key)?.every === poller.everyMs) continue;
        await deps.channelTriggers!.upsertPoller(poller.data, poller.everyMs);
        added++;
      }
      for (const key of existing.keys()) {
        if ((key.startsWith('schedule:') && !wanted.has(key)) || (key.startsWith('poll:') && !pollers.has(key))) {
          await queue.removeJobScheduler(key);
          removed++;
        }
      }
      return { added, removed };
    },
  };
}

export type FlowTriggers = ReturnType<typeof createFlowTriggers>;
