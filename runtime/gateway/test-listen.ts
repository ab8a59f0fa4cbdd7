import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import type { Channels } from '../queue/channels.js';
import type { Launcher } from '../queue/launcher.js';
import type { PlanLoader } from '../queue/plans.js';
import type { FlowPlan } from '../engine/plan.js';
import type { RecordedEvent } from './events.js';
import { latestPlan } from './latest-plan.js';
import { channelTriggerOf, honoursHandoff, routeMatches, triggerProps } from './routes.js';
import { triggerInput } from './trigger-input.js';

/** How long "Listen for a test event" waits for the account's next event. */
export const TEST_LISTEN_MS = 120_000;
/** How long the execution a listener started can be asked for. */
const RESULT_MS = 600_000;

interface Listener {
  listenId: string;
  workspaceId: string;
  flowId: string;
  nodeId: string;
  credentialId: string;
  expiresAt: number;
}

export interface TestListenDeps {
  knex: Knex;
  redis: Redis;
  channels: Channels;
  plans: PlanLoader;
  launcher: Launcher;
  log: Logger;
}

/**
 * "Listen for a test event" (issue 12): the next event of a trigger's account that the trigger
 * matches ALSO starts a test run (mode `manual`, so the editor sees its steps live) of the flow's
 * latest saved version — active flows keep receiving theirs, and nothing is re-registered with the
 * provider, so test and production never steal each other's webhook. A listener is a Redis key with
 * a TTL, taken once (DEL) by whichever process dispatches the matching event; every process learns
 * of listeners on a channel so dispatch costs nothing while nobody listens.
 */
export class TestListeners {
  private readonly byAccount = new Map<string, Map<string, Listener>>();
  private unsubscribe?: () => Promise<void>;

  constructor(private readonly deps: TestListenDeps) {}

  private get channel(): string {
    return `${this.deps.channels.prefix}:ch:test-listen`;
  }

  private key(listenId: string): string {
    return `${this.deps.channels.prefix}:listen:${listenId}`;
  }

  private resultKey(listenId: string): string {
    return `${this.deps.channels.prefix}:listen-result:${listenId}`;
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.deps.channels.subscribe(this.channel, (message) => {
      try {
        this.remember(JSON.parse(message) as Listener);
      } catch {
        // Not ours: ignore.
      }
    });
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
  }

  /** Starts listening on the account of `nodeId`, a channel trigger of the flow's latest saved version. */
  async listen(workspaceId: string, flowId: string, nodeId: string): Promise<{ listenId: string; credentialId: string; expiresAt: string }> {
    const plan = await this.latestPlan(workspaceId, flowId);
    const planned = plan.nodes.get(nodeId);
    const trigger = channelTriggerOf(planned?.definition);
    if (!planned || !trigger) throw new AppError(400, 'not_a_channel_trigger', `node "${nodeId}" is not a channel trigger of this flow (save the flow first)`);
    const key = planned.node.credentials?.[trigger.account];
    const credentialId = key === undefined ? undefined : plan.document.credentials[key]?.id;
    const owned = credentialId ? await this.deps.knex('credentials').where({ id: credentialId, workspace_id: workspaceId }).first('id') : undefined;
    if (!credentialId || !owned) {
      throw new AppError(400, 'credential_unbound', `node "${nodeId}": choose the account whose events it listens to, and save`, [{ nodeId, path: ['credentials', trigger.account] }]);
    }
    const listener: Listener = { listenId: randomUUID(), workspaceId, flowId, nodeId, credentialId, expiresAt: Date.now() + TEST_LISTEN_MS };
    await this.deps.redis.set(this.key(listener.listenId), JSON.stringify(listener), 'PX', TEST_LISTEN_MS);
    this.remember(listener);
    await this.deps.channels.publish(this.channel, JSON.stringify(listener));
    return { listenId: listener.listenId, credentialId, expiresAt: new Date(listener.expiresAt).toISOString() };
  }

  /** Whether a listener got its event (and the test run it started), is still waiting, or ran out of time. */
  async state(workspaceId: string, flowId: string, listenId: string): Promise<{ status: 'listening' | 'received' | 'expired'; executionId?: string }> {
    const [result, waiting] = await Promise.all([this.deps.redis.get(this.resultKey(listenId)), this.deps.redis.get(this.key(listenId))]);
    const mine = (text: string | null) => {
      if (!text) return undefined;
      const parsed = JSON.parse(text) as Partial<Listener> & { executionId?: string };
      return parsed.workspaceId === workspaceId && parsed.flowId === flowId ? parsed : undefined;
    };
    const received = mine(result);
    if (received?.executionId) return { status: 'received', executionId: received.executionId };
    if (mine(waiting)) return { status: 'listening' };
    return { status: 'expired' };
  }

  /** Whether anyone listens on the account (in memory: the common answer, no, costs nothing). */
  listening(credentialId: string): boolean {
    const listeners = this.byAccount.get(credentialId);
    if (!listeners) return false;
    const now = Date.now();
    for (const [id, listener] of listeners) if (listener.expiresAt <= now) listeners.delete(id);
    if (listeners.size === 0) this.byAccount.delete(credentialId);
    return listeners.size > 0;
  }

  /** Starts the test runs this event is for; returns how many. `paused`: the contact's automation is paused. */
  async onEvent(recorded: RecordedEvent, paused: boolean): Promise<number> {
    if (!this.listening(recorded.credentialId)) return 0;
    let started = 0;
    for (const listener of [...(this.byAccount.get(recorded.credentialId)?.values() ?? [])]) {
      if (listener.workspaceId !== recorded.workspaceId) continue;
      const plan = await this.latestPlan(listener.workspaceId, listener.flowId).catch(() => undefined);
      const planned = plan?.nodes.get(listener.nodeId);
      const trigger = channelTriggerOf(planned?.definition);
      if (!plan || !planned || !trigger) continue;
      const route = { trigger, props: triggerProps(planned.definition, planned.node.props), flowId: plan.flowId, nodeId: listener.nodeId };
      if (!routeMatches(route, recorded.event, this.deps.log) || (paused && honoursHandoff(route))) continue;
      // Taken once, whichever process gets here first.
      if ((await this.deps.redis.del(this.key(listener.listenId))) !== 1) {
        this.byAccount.get(recorded.credentialId)?.delete(listener.listenId);
        continue;
      }
      this.byAccount.get(recorded.credentialId)?.delete(listener.listenId);
      const launched = await this.deps.launcher.launch({
        workspaceId: listener.workspaceId, flowId: listener.flowId, version: plan.version, triggerNodeId: listener.nodeId,
        mode: 'manual', input: triggerInput(recorded.event, recorded.credentialId),
        inbound: { source: `channel-test:${listener.listenId}`, providerEventId: `${recorded.credentialId}:${recorded.event.id}` },
      });
      await this.deps.redis.set(this.resultKey(listener.listenId), JSON.stringify({ ...listener, executionId: launched.executionId }), 'PX', RESULT_MS);
      started++;
    }
    return started;
  }

  private remember(listener: Listener): void {
    if (typeof listener.credentialId !== 'string' || typeof listener.listenId !== 'string') return;
    const listeners = this.byAccount.get(listener.credentialId) ?? new Map<string, Listener>();
    listeners.set(listener.listenId, listener);
    this.byAccount.set(listener.credentialId, listeners);
  }

  private latestPlan(workspaceId: string, flowId: string): Promise<FlowPlan> {
    return latestPlan(this.deps, workspaceId, flowId);
  }
}
