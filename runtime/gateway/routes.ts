import type { Knex } from 'knex';
import type { AnyNodeDefinition, ChannelTrigger, InboundEvent } from '@switchyard/sdk';
import type { Logger } from 'pino';
import type { PlanLoader } from '../queue/plans.js';

/** A channel trigger of an active flow, as dispatch matches events against it. */
export interface ChannelRoute {
  workspaceId: string;
  flowId: string;
  version: number;
  nodeId: string;
  /** The trigger's parsed props (schema defaults applied). */
  props: unknown;
  trigger: ChannelTrigger<unknown>;
}

/** The channel trigger of a node definition, if it is one. */
export function channelTriggerOf(definition: AnyNodeDefinition | undefined): ChannelTrigger<unknown> | undefined {
  return definition?.trigger?.kind === 'channel' ? definition.trigger.channel : undefined;
}

/** A trigger's props as its filters see them: parsed by its schema, or as written when they do not parse. */
export function triggerProps(definition: AnyNodeDefinition, props: unknown): unknown {
  const parsed = definition.props.safeParse(props);
  return parsed.success ? parsed.data : props;
}

/** Whether the event starts the trigger; a filter that throws is a non-match, logged (a provider's bug must not stop the others). */
export function routeMatches(route: Pick<ChannelRoute, 'trigger' | 'props' | 'flowId' | 'nodeId'>, event: InboundEvent, log: Logger): boolean {
  try {
    return route.trigger.matches(event, route.props) === true;
  } catch (error) {
    log.warn({ err: error, flowId: route.flowId, nodeId: route.nodeId }, 'a channel trigger\'s filter failed; the event does not start it');
    return false;
  }
}

/** Whether the trigger skips contacts a person took over (default: it does). */
export function honoursHandoff(route: Pick<ChannelRoute, 'trigger' | 'props'>): boolean {
  try {
    return route.trigger.honoursHandoff?.(route.props) !== false;
  } catch {
    return true;
  }
}

/**
 * The channel triggers of active flows by account (credential id), kept in memory: dispatch looks an
 * event's account up here instead of querying. Reloaded when any process (de)activates a flow (the
 * `webhooks` invalidation channel), as the webhook routes are.
 */
export class ChannelRouteTable {
  private routes = new Map<string, ChannelRoute[]>();
  private stale = true;
  private loading?: Promise<void>;
  private loadedAt = 0;

  constructor(private readonly knex: Knex, private readonly plans: PlanLoader, private readonly log: Logger) {}

  invalidate(): void {
    this.stale = true;
  }

  /** The routes of an account. An account with none is looked up once more if the table is a second old: a flow activated elsewhere a moment ago may not have reached us. */
  async forAccount(credentialId: string): Promise<ChannelRoute[]> {
    let found = (await this.current()).get(credentialId);
    if (!found && Date.now() - this.loadedAt > 1000) {
      this.stale = true;
      found = (await this.current()).get(credentialId);
    }
    return found ?? [];
  }

  private async current(): Promise<Map<string, ChannelRoute[]>> {
    if (this.stale) {
      this.stale = false;
      this.loading = this.reload().catch((error: unknown) => { this.stale = true; throw error; });
    }
    await this.loading;
    return this.routes;
  }

  private async reload(): Promise<void> {
    // The credential must be of the flow's own workspace: a document naming another workspace's id gets nothing.
    const rows = await this.knex('channel_triggers as t').join('flows as f', 'f.id', 't.flow_id')
      .join('credentials as c', (j) => j.on('c.id', 't.credential_id').andOn('c.workspace_id', 't.workspace_id'))
      .where('f.active', true).whereNull('f.deleted_at')
      .select('t.workspace_id', 't.flow_id', 't.node_id', 't.flow_version', 't.credential_id');
    const next = new Map<string, ChannelRoute[]>();
    for (const row of rows) {
      try {
        const plan = await this.plans.get(row.flow_id, row.flow_version);
        const planned = plan.nodes.get(row.node_id);
        const trigger = channelTriggerOf(planned?.definition);
        if (!planned || !trigger) continue;
        const list = next.get(row.credential_id) ?? [];
        list.push({
          workspaceId: row.workspace_id, flowId: row.flow_id, version: row.flow_version, nodeId: row.node_id,
          props: triggerProps(planned.definition, planned.node.props), trigger,
        });
        next.set(row.credential_id, list);
      } catch (error) {
        // A version whose node type is gone (a plugin removed) serves nothing; the others still load.
        this.log.warn({ err: error, flowId: row.flow_id }, 'a channel trigger could not be loaded');
      }
    }
    this.routes = next;
    this.loadedAt = Date.now();
  }
}
