import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { ChannelTrigger, HttpClient, TriggerLifecycleContext } from '@switchyard/sdk';
import { findNode, type NodeRegistry } from '../../nodes/index.js';
import { AppError, ValidationError } from '../errors.js';
import type { FlowDocument, FlowNode } from '../flow/document.js';
import { pollerKey, type PollJobData } from '../queue/jobs.js';
import type { PlanLoader } from '../queue/plans.js';
import { Redactor } from '../vault/redact.js';
import type { AccountCache } from './accounts.js';
import { channelTriggerOf, triggerProps } from './routes.js';

/** How long a provider may take to register or unregister a callback before activation gives up. */
const LIFECYCLE_TIMEOUT_MS = 15_000;
/** The shortest polling interval honoured: a poller asking for less would hammer its provider. */
const MIN_POLL_MS = 1_000;

export interface ChannelLifecycleDeps {
  knex: Knex;
  queue: Queue;
  registry: () => NodeRegistry;
  plans: PlanLoader;
  accounts: AccountCache;
  /** The guarded client (`config.outboundAllow`) providers are called through. */
  http: HttpClient;
  log: Logger;
}

/** A `channel_triggers` row. */
export interface ChannelTriggerRow {
  workspace_id: string;
  flow_id: string;
  node_id: string;
  flow_version: number;
  credential_id: string;
}

/**
 * The channel-trigger side of activation (decision 029): a `channel_triggers` row per enabled channel
 * trigger, the provider registration (`register`, whose failure refuses the activation), a BullMQ job
 * scheduler per polling trigger, and `unregister` when the last active flow on an account lets go.
 * Called by flow-triggers.ts under the flow's row lock, inside its transaction.
 */
export class ChannelTriggerLifecycle {
  constructor(private readonly deps: ChannelLifecycleDeps) {}

  /** The flow's channel trigger rows as `db` sees them. */
  rows(db: Knex, flowId: string): Promise<ChannelTriggerRow[]> {
    return db<ChannelTriggerRow>('channel_triggers').where({ flow_id: flowId });
  }

  /** Whether the node is a channel trigger (flow-triggers.ts leaves those to {@link activate}). */
  isChannelTrigger(node: FlowNode): boolean {
    return channelTriggerOf(findNode(this.deps.registry(), node.type, node.typeVersion)) !== undefined;
  }

  /**
   * Records and registers one channel trigger of a flow being activated. A slot left unbound is a 400
   * naming the node; a provider refusing the registration is a 422 with the provider's message.
   */
  async activate(trx: Knex.Transaction, workspaceId: string, flowId: string, version: number, document: FlowDocument, node: FlowNode): Promise<void> {
    const definition = findNode(this.deps.registry(), node.type, node.typeVersion);
    const trigger = channelTriggerOf(definition);
    if (!definition || !trigger) return;
    const key = node.credentials?.[trigger.account];
    const credentialId = key === undefined ? undefined : document.credentials[key]?.id;
    const credential = credentialId ? await trx('credentials').where({ id: credentialId, workspace_id: workspaceId }).first('id') : undefined;
    if (!credentialId || !credential) {
      throw new ValidationError(`node "${node.id}" listens to no account`, [{
        code: 'credential_unbound', nodeId: node.id, path: ['credentials', trigger.account],
        message: `node "${node.id}": choose the account whose events start this trigger`,
      }]);
    }
    await trx('channel_triggers').insert({ workspace_id: workspaceId, flow_id: flowId, node_id: node.id, flow_version: version, credential_id: credentialId });
    const props = triggerProps(definition, node.props);
    if (trigger.poll) {
      // A new activation starts healthy; the cursor stays, so items already seen do not fire again.
      await trx('trigger_cursors').insert({ flow_id: flowId, node_id: node.id, workspace_id: workspaceId })
        .onConflict(['flow_id', 'node_id']).merge({ consecutive_failures: 0, failing: false, last_error: null });
    }
    if (!trigger.register) return;
    // Read in the activation's transaction: the embedded PGlite has one connection, which it holds.
    const context = await this.context(workspaceId, credentialId, LIFECYCLE_TIMEOUT_MS, trx);
    try {
      await trigger.register(context.ctx, props);
    } catch (error) {
      const reason = context.redactor.redactString(error instanceof Error ? error.message : String(error));
      throw new AppError(422, 'trigger_registration_failed', `node "${node.id}": the provider refused the registration: ${reason}`, [
        { code: 'trigger_registration_failed', nodeId: node.id, message: reason },
      ]);
    }
  }

  /** Makes the flow's poll schedulers match its channel trigger rows as `db` sees them. */
  async syncPollers(db: Knex, flowId: string, before: ChannelTriggerRow[]): Promise<void> {
    const now = await this.rows(db, flowId);
    for (const old of before) {
      if (!now.some((r) => r.node_id === old.node_id)) await this.deps.queue.removeJobScheduler(pollerKey(flowId, old.node_id));
    }
    for (const row of now) {
      // In `db`: activation calls this inside its transaction (see activate).
      const poller = await this.poller(row, db);
      if (poller) await this.upsertPoller(poller.data, poller.everyMs);
      else await this.deps.queue.removeJobScheduler(pollerKey(flowId, row.node_id));
    }
  }

  /**
   * After a change is committed: `unregister` for each trigger that went away whose account no active
   * flow listens to any more. A provider that fails is logged; the deactivation stands.
   */
  async unregisterUnused(removed: ChannelTriggerRow[]): Promise<void> {
    for (const row of removed) {
      const still = await this.deps.knex('channel_triggers as t').join('flows as f', 'f.id', 't.flow_id')
        .where({ 't.credential_id': row.credential_id, 'f.active': true }).whereNull('f.deleted_at').first('t.flow_id');
      if (still) continue;
      try {
        const found = await this.triggerOf(row);
        if (!found?.trigger.unregister) continue;
        const { ctx } = await this.context(row.workspace_id, row.credential_id);
        await found.trigger.unregister(ctx, found.props);
      } catch (error) {
        this.deps.log.warn({ err: error, flowId: row.flow_id, nodeId: row.node_id }, 'a channel trigger could not unregister from its provider');
      }
    }
  }

  /** Every poll scheduler active flows need (the reconcile of decision 019). */
  async wantedPollers(): Promise<Map<string, { data: PollJobData; everyMs: number }>> {
    const rows = await this.deps.knex<ChannelTriggerRow>('channel_triggers as t').join('flows as f', 'f.id', 't.flow_id')
      .where('f.active', true).whereNull('f.deleted_at').select('t.*');
    const wanted = new Map<string, { data: PollJobData; everyMs: number }>();
    for (const row of rows) {
      const poller = await this.poller(row).catch(() => undefined);
      if (poller) wanted.set(pollerKey(row.flow_id, row.node_id), poller);
    }
    return wanted;
  }

  upsertPoller(data: PollJobData, everyMs: number): Promise<unknown> {
    return this.deps.queue.upsertJobScheduler(pollerKey(data.flowId, data.nodeId), { every: everyMs }, {
      name: 'poll', data, opts: { removeOnComplete: true, removeOnFail: true },
    });
  }

  /** The trigger definition and props of a row's flow version (read in `db` when given). */
  async triggerOf(row: ChannelTriggerRow, db?: Knex): Promise<{ trigger: ChannelTrigger<unknown>; props: unknown } | undefined> {
    const plan = await this.deps.plans.get(row.flow_id, row.flow_version, db);
    const planned = plan.nodes.get(row.node_id);
    const trigger = channelTriggerOf(planned?.definition);
    return planned && trigger ? { trigger, props: triggerProps(planned.definition, planned.node.props) } : undefined;
  }

  /** What a lifecycle hook or a poller gets, and a redactor that knows the account's secrets; `db`: the caller's transaction, if it holds one. */
  async context(workspaceId: string, credentialId: string, timeoutMs = LIFECYCLE_TIMEOUT_MS, db?: Knex): Promise<{ ctx: TriggerLifecycleContext; redactor: Redactor }> {
    const found = await this.deps.accounts.forWorkspace(workspaceId, credentialId, db);
    if (!found) throw new AppError(400, 'unknown_account', `account "${credentialId}" is not a credential of this workspace`);
    const redactor = new Redactor().learnCredential({ kind: found.kind, fields: found.account.fields }).learn(found.account.secret);
    const child = this.deps.log.child({ credentialId });
    const log = {
      debug: (message: string, data?: Record<string, unknown>) => child.debug(redactor.redact(data ?? {}), redactor.redactString(message)),
      info: (message: string, data?: Record<string, unknown>) => child.info(redactor.redact(data ?? {}), redactor.redactString(message)),
      warn: (message: string, data?: Record<string, unknown>) => child.warn(redactor.redact(data ?? {}), redactor.redactString(message)),
      error: (message: string, data?: Record<string, unknown>) => child.error(redactor.redact(data ?? {}), redactor.redactString(message)),
    };
    return { ctx: { account: found.account, http: this.deps.http, log, signal: AbortSignal.timeout(timeoutMs) }, redactor };
  }

  private async poller(row: ChannelTriggerRow, db?: Knex): Promise<{ data: PollJobData; everyMs: number } | undefined> {
    const found = await this.triggerOf(row, db);
    if (!found?.trigger.poll) return undefined;
    const interval = Number(found.trigger.poll.intervalMs(found.props));
    return {
      data: { workspaceId: row.workspace_id, flowId: row.flow_id, nodeId: row.node_id },
      everyMs: Math.max(MIN_POLL_MS, Number.isFinite(interval) ? Math.round(interval) : MIN_POLL_MS),
    };
  }
}
