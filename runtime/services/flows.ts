import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import type { NodeRegistry } from '../../nodes/index.js';
import type { FlowDocument } from '../flow/document.js';
import { validateFlow } from '../flow/validate.js';
import { assertStorable } from '../db/storable.js';
import { NotFoundError, ValidationError, type Problem } from '../errors.js';
import { createFlowTriggers } from './flow-triggers.js';
import type { ChannelTriggerLifecycle } from '../gateway/lifecycle.js';
import type { FlowRecord, FlowService, FlowSummary, FlowVersionSummary, TriggerProblem } from './types.js';

export interface FlowServiceDeps {
  knex: Knex;
  registry: () => NodeRegistry;
  queue: Queue;
  /** Tells every web process that webhook routes changed. */
  webhooksChanged(): Promise<void>;
  /** Channel triggers' lifecycle (the inbound gateway). Default: channel triggers register nothing. */
  channelTriggers?: ChannelTriggerLifecycle;
}

interface FlowRow {
  id: string;
  name: string;
  active: boolean;
  version: number;
  active_version: number | null;
  document: FlowDocument;
  created_at: Date;
  updated_at: Date;
}

function toRecord(row: FlowRow): FlowRecord {
  return {
    id: row.id,
    name: row.name,
    description: row.document.description,
    active: row.active,
    version: row.version,
    activeVersion: row.active_version,
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    document: row.document,
  };
}

/** Flow documents with full history: every save is a new immutable version (DESIGN §6 "PUT keeps history"). */
export function createFlowService(deps: FlowServiceDeps): FlowService {
  const { knex } = deps;
  const triggers = createFlowTriggers(deps);

  async function webhookOwners(): Promise<Map<string, string>> {
    const rows = await knex('webhooks').select('path', 'method', 'flow_id');
    return new Map(rows.map((r) => [`${r.method} ${r.path}`, r.flow_id as string]));
  }

  async function check(document: unknown, options: { flowId?: string; forActivation?: boolean }) {
    // Only activation registers webhooks, so only activation can collide with another flow's
    // (a one-off `switchyard run` of an active flow's export stores an inactive copy).
    const owners = options.forActivation ? await webhookOwners() : new Map<string, string>();
    return validateFlow(document, deps.registry(), {
      ...options,
      webhookOwner: (path, method) => {
        const owner = owners.get(`${method} ${path}`);
        return owner && owner !== options.flowId ? owner : undefined;
      },
    });
  }

  async function validated(document: unknown, options: { flowId?: string; forActivation?: boolean; draft?: boolean }): Promise<{ document: FlowDocument; problems: Problem[] }> {
    assertStorable(document, 'document');
    const { document: parsed, problems } = await check(document, options);
    // A draft only needs to be a well-formed document; its graph problems travel with it.
    if (parsed && (problems.length === 0 || options.draft)) return { document: parsed, problems };
    throw new ValidationError(`the flow has ${problems.length} problem${problems.length === 1 ? '' : 's'}`, problems);
  }

  async function load(workspaceId: string, flowId: string, trx: Knex = knex): Promise<FlowRow> {
    const row = await trx('flows').where({ id: flowId, workspace_id: workspaceId }).whereNull('deleted_at').first();
    if (!row) throw new NotFoundError('flow', flowId);
    return row;
  }

  /** `onlyIfActive`: the triggers follow a save, unless the flow was deactivated meanwhile. */
  async function activateVersion(workspaceId: string, row: FlowRow, onlyIfActive = false): Promise<FlowRow> {
    await validated(row.document, { flowId: row.id, forActivation: true });
    const activation = await triggers.set(workspaceId, row.id, { version: row.version, document: row.document, onlyIfActive });
    await deps.webhooksChanged();
    return { ...row, ...activation };
  }

  return {
    async list(workspaceId, query = {}) {
      const limit = Math.min(Math.max(query.limit ?? 100, 1), 500);
      const q = knex('flows as f').where('f.workspace_id', workspaceId).whereNull('f.deleted_at')
        .select('f.id', 'f.name', 'f.active', 'f.version', 'f.active_version', 'f.created_at', 'f.updated_at',
          knex.raw(`f.document->>'description' as description`),
          knex.raw(`(select json_build_object('id', e.id, 'status', e.status, 'createdAt', e.created_at) from executions e
                     where e.workspace_id = f.workspace_id and e.flow_id = f.id order by e.created_at desc limit 1) as last_execution`),
          knex.raw(`(select json_agg(json_build_object('nodeId', tc.node_id, 'message', coalesce(tc.last_error, ''), 'failures', tc.consecutive_failures,
                     'since', tc.last_failure_at) order by tc.node_id) from trigger_cursors tc where tc.flow_id = f.id and tc.failing and f.active) as trigger_problems`))
        .orderBy('f.updated_at', 'desc').limit(limit);
      if (query.search) q.whereILike('f.name', `%${query.search.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
      const rows = await q;
      return rows.map((r): FlowSummary => ({
        id: r.id, name: r.name, description: r.description ?? undefined, active: r.active, version: r.version,
        activeVersion: r.active_version, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
        ...(r.last_execution ? { lastExecution: { ...r.last_execution, createdAt: new Date(r.last_execution.createdAt).toISOString() } } : {}),
        ...(r.trigger_problems ? { triggerProblems: (r.trigger_problems as TriggerProblem[]).map((p) => ({ ...p, since: new Date(p.since).toISOString() })) } : {}),
      }));
    },

    async get(workspaceId, flowId) {
      return toRecord(await load(workspaceId, flowId));
    },

    async create(workspaceId, document, options = {}) {
      const { document: parsed, problems } = await validated(document, { draft: options.draft });
      const id = randomUUID();
      const row = await knex.transaction(async (trx) => {
        const [flow] = await trx('flows').insert({ id, workspace_id: workspaceId, name: parsed.name, version: 1, document: JSON.stringify(parsed) }).returning('*');
        await trx('flow_versions').insert({ flow_id: id, version: 1, workspace_id: workspaceId, document: JSON.stringify(parsed) });
        return flow as FlowRow;
      });
      return { ...toRecord(row), problems };
    },

    async update(workspaceId, flowId, document, options = {}) {
      const current = await load(workspaceId, flowId);
      // An active flow's triggers move to what is saved, so it must stay fully valid.
      const { document: parsed, problems } = await validated(document, { flowId, forActivation: current.active, draft: options.draft && !current.active });
      const row = await knex.transaction(async (trx) => {
        const latest = await trx('flows').where({ id: flowId }).forUpdate().first('version');
        const version = Number(latest.version) + 1;
        await trx('flow_versions').insert({ flow_id: flowId, version, workspace_id: workspaceId, document: JSON.stringify(parsed) });
        const [flow] = await trx('flows').where({ id: flowId })
          .update({ name: parsed.name, version, document: JSON.stringify(parsed), updated_at: knex.fn.now() }).returning('*');
        return flow as FlowRow;
      });
      // An active flow's triggers follow its latest saved version.
      return { ...toRecord(current.active ? await activateVersion(workspaceId, row, true) : row), problems };
    },

    async remove(workspaceId, flowId) {
      const row = await load(workspaceId, flowId);
      await triggers.set(workspaceId, flowId, undefined, { remove: true });
      if (row.active) await deps.webhooksChanged();
    },

    async versions(workspaceId, flowId) {
      await load(workspaceId, flowId);
      const rows = await knex('flow_versions').where({ flow_id: flowId, workspace_id: workspaceId }).orderBy('version', 'desc')
        .select('version', 'created_at', knex.raw(`document->>'name' as name`));
      return rows.map((r): FlowVersionSummary => ({ version: r.version, createdAt: new Date(r.created_at).toISOString(), name: r.name }));
    },

    async getVersion(workspaceId, flowId, version) {
      await load(workspaceId, flowId);
      const row = await knex('flow_versions').where({ flow_id: flowId, version, workspace_id: workspaceId }).first('document');
      if (!row) throw new NotFoundError('flow version', `${flowId}@${version}`);
      return row.document;
    },

    async validate(_workspaceId, document, options = {}): Promise<Problem[]> {
      return (await check(document, options)).problems;
    },

    async activate(workspaceId, flowId) {
      return toRecord(await activateVersion(workspaceId, await load(workspaceId, flowId)));
    },

    reconcileSchedules() {
      return triggers.reconcile();
    },

    async deactivate(workspaceId, flowId) {
      const row = await load(workspaceId, flowId);
      const activation = await triggers.set(workspaceId, flowId, undefined);
      await deps.webhooksChanged();
      return toRecord({ ...row, ...activation });
    },
  };
}
