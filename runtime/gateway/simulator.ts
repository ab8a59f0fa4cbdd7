import { createHash, randomInt, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChannelTrigger, InboundEvent, PollSimulator, SimulatedMessage } from '@switchyard/sdk';
import { AppError } from '../errors.js';
import type { EventLaunchRequest } from '../queue/launcher.js';
import type { ChannelAnswer, ChannelDelivery, SimulatorMessageInput, SimulatorSent, SimulatorThread } from '../services/types.js';
import { threadMessages } from '../conversations/service.js';
import type { AccountCache, GatewayAccount } from './accounts.js';
import { eventProblem, type RecordedEvent } from './events.js';
import { latestPlan, type LatestPlanDeps } from './latest-plan.js';
import { channelTriggerOf, routeMatches, triggerProps } from './routes.js';
import { triggerInput } from './trigger-input.js';

/** Serials are drawn in [2^52, 2^53): safe integers no real Telegram id reaches (they have at most 52 bits). */
const SERIAL_BASE = 2 ** 52;
/** Draws of a contact id before giving up (an id that is already a real contact of the account is drawn again). */
const CONTACT_DRAWS = 8;
/** What the simulated contact is called in the conversation and the inbox. */
const CONTACT_NAME = 'Simulator';
/** Messages the simulator's thread shows (the latest). */
const THREAD_LIMIT = 200;

export interface SimulatorDeps extends LatestPlanDeps {
  accounts: AccountCache;
  log: Logger;
  /** The gateway's own delivery path (handshake → verify → parse → record → acknowledge → dispatch). */
  receive(delivery: ChannelDelivery): Promise<ChannelAnswer>;
  /** The path a poll's events take (record → dedupe → dispatch; decision 042). */
  recordPolled(account: { workspaceId: string; credentialId: string; channel: string }, events: InboundEvent[]): Promise<RecordedEvent[]>;
}

/** The channel trigger a session chats with, in the flow's latest saved version. */
interface Target {
  nodeId: string;
  credentialId: string;
  trigger: ChannelTrigger<unknown>;
  /** The trigger's props as its filters and its poll simulator see them. */
  props: unknown;
}

/** A contact's simulation, as the conversation store returns it for dispatch. */
export interface Simulation {
  sessionId: string;
  flowId: string;
  nodeId: string;
}

/** The serial of a simulated message id: stable for the same id, so a message sent twice is one event. */
export function serialOf(id: string): number {
  return SERIAL_BASE + (createHash('sha256').update(id).digest().readUIntBE(0, 6) % SERIAL_BASE);
}

/**
 * The chat simulator (decision 031): the editor chats with a flow that starts with a channel trigger
 * as a contact of that account. What is typed becomes a delivery signed as the provider signs it
 * (`InboundHandler.simulator`) and goes through the gateway's real path — verify, parse, record,
 * dedupe, dispatch. The contact's row is flagged with the session, so dispatch starts only the
 * edited flow's latest saved version (never the account's active flows), and send nodes record
 * their messages to the contact instead of calling the provider (`ctx.channels.isSimulated`).
 */
export class ChatSimulator {
  constructor(private readonly deps: SimulatorDeps) {}

  /**
   * Sends what the contact typed or pressed; resolves once the gateway recorded it (the flow runs
   * after). A kind with a webhook simulator gets a signed delivery; a polling trigger with a poll
   * simulator (IMAP, decision 042) gets one event on the poller's own path.
   */
  async send(workspaceId: string, flowId: string, input: SimulatorMessageInput): Promise<SimulatorSent> {
    const target = await this.target(workspaceId, flowId, input.nodeId);
    const found = await this.deps.accounts.forWorkspace(workspaceId, target.credentialId);
    const polled = target.trigger.poll?.simulator;
    const simulator = found?.handler.simulator ?? polled;
    if (!found || !simulator) {
      throw new AppError(400, 'not_simulatable', `${found?.definition.title ?? 'this kind of'} accounts cannot be simulated; connect the provider and message the account instead`);
    }
    const contact = await this.contact(workspaceId, flowId, target, found.kind, input.sessionId, simulator);
    const messageId = input.messageId ?? randomUUID();
    const message: SimulatedMessage = { contact: { id: contact, name: CONTACT_NAME }, id: `${input.sessionId}:${messageId}`, serial: serialOf(`${input.sessionId}:${messageId}`), at: Date.now() };
    if (input.choiceId !== undefined) message.choice = await this.choice(workspaceId, target.credentialId, contact, input.choiceId);
    else message.text = input.text ?? '';
    if (input.subject !== undefined) message.subject = input.subject;
    let acknowledged: number;
    if (found.handler.simulator) {
      const delivery = found.handler.simulator.deliver(found.account, message);
      const answer = await this.deps.receive({
        credentialId: target.credentialId, method: delivery.method ?? 'POST', pathAndQuery: `/inbound/${encodeURIComponent(target.credentialId)}`,
        headers: delivery.headers, query: {}, rawBody: Buffer.from(delivery.body, 'utf8'), deliveryId: `simulator:${messageId}`,
      });
      acknowledged = answer.status;
    } else {
      acknowledged = await this.polled(workspaceId, found, target, polled!, message);
    }
    return { sessionId: input.sessionId, messageId, nodeId: target.nodeId, credentialId: target.credentialId, channel: found.kind, contact: { id: contact, name: CONTACT_NAME }, acknowledged };
  }

  /**
   * A polling trigger's simulated item (decision 042): the trigger makes the event its poll would
   * have returned, checked as a poll's events are, and it takes the poller's path — recorded (a
   * message sent again has the same id and is dropped there), then dispatched. 200 once recorded.
   */
  private async polled(workspaceId: string, found: GatewayAccount, target: Target, simulator: PollSimulator<unknown>, message: SimulatedMessage): Promise<number> {
    let event: InboundEvent;
    try {
      event = await simulator.event(found.account, target.props, message);
    } catch (error) {
      throw new AppError(400, 'invalid_payload', `the simulated message could not be made into an event: ${error instanceof Error ? error.message : String(error)}`);
    }
    const problem = eventProblem([event]);
    if (problem) throw new AppError(400, 'invalid_payload', `the simulated message made an event the gateway refuses: ${problem}`);
    await this.deps.recordPolled({ workspaceId, credentialId: target.credentialId, channel: found.kind }, [event]);
    return 200;
  }

  /** The session's conversation, each outbound message with the execution and step that sent it. */
  async thread(workspaceId: string, flowId: string, sessionId: string): Promise<SimulatorThread> {
    const row = await this.deps.knex('contacts').where({ workspace_id: workspaceId, simulator_session_id: sessionId, simulator_flow_id: flowId })
      .orderBy('created_at', 'desc').first('id', 'channel', 'credential_id', 'provider_contact_id', 'name', 'simulator_node_id', 'automation_paused');
    if (!row) return { sessionId, conversationId: null, channel: null, credentialId: null, nodeId: null, contact: null, automationPaused: false, messages: [] };
    return {
      sessionId, conversationId: row.id, channel: row.channel, credentialId: row.credential_id, nodeId: row.simulator_node_id,
      contact: { id: row.provider_contact_id, name: row.name }, automationPaused: row.automation_paused === true,
      messages: await threadMessages(this.deps.knex, workspaceId, row.id, THREAD_LIMIT),
    };
  }

  /**
   * Dispatch's part (decision 031): a simulated contact's event starts the session's flow — its latest
   * saved version, when its trigger matches — and nothing else. Undefined: the event starts nothing.
   */
  async launchFor(recorded: RecordedEvent, simulation: Simulation): Promise<EventLaunchRequest | undefined> {
    const plan = await latestPlan(this.deps, recorded.workspaceId, simulation.flowId).catch((error: unknown) => {
      this.deps.log.info({ err: error, flowId: simulation.flowId }, 'a simulated message found no flow to run');
      return undefined;
    });
    const planned = plan?.nodes.get(simulation.nodeId);
    const trigger = channelTriggerOf(planned?.definition);
    if (!plan || !planned || !trigger) return undefined;
    const route = { trigger, props: triggerProps(planned.definition, planned.node.props), flowId: plan.flowId, nodeId: simulation.nodeId };
    if (!routeMatches(route, recorded.event, this.deps.log)) return undefined;
    return {
      workspaceId: recorded.workspaceId, flowId: simulation.flowId, version: plan.version, triggerNodeId: simulation.nodeId,
      // Manual, as a test run: the editor follows it live, and it is not production traffic.
      mode: 'manual', input: triggerInput(recorded.event, recorded.credentialId),
      inbound: { source: `simulator:${simulation.flowId}:${simulation.nodeId}`, providerEventId: `${recorded.credentialId}:${recorded.event.id}` },
      eventRowId: recorded.rowId,
    };
  }

  /** The channel trigger the session chats with, in the flow's latest saved version, and its account. */
  private async target(workspaceId: string, flowId: string, nodeId: string | undefined): Promise<Target> {
    const plan = await latestPlan(this.deps, workspaceId, flowId);
    const candidates = nodeId !== undefined ? [plan.nodes.get(nodeId)] : [...plan.nodes.values()].filter((p) => channelTriggerOf(p.definition) && !p.node.disabled);
    const planned = candidates[0];
    const trigger = channelTriggerOf(planned?.definition);
    if (!planned || !trigger) {
      throw new AppError(400, 'not_a_channel_trigger', nodeId !== undefined
        ? `node "${nodeId}" is not a channel trigger of this flow (save the flow first)`
        : 'this flow has no channel trigger to chat with (save the flow first)');
    }
    const key = planned.node.credentials?.[trigger.account];
    const credentialId = key === undefined ? undefined : plan.document.credentials[key]?.id;
    const owned = credentialId ? await this.deps.knex('credentials').where({ id: credentialId, workspace_id: workspaceId }).first('id') : undefined;
    if (!credentialId || !owned) {
      throw new AppError(400, 'credential_unbound', `node "${planned.node.id}": choose the account to simulate a contact of, and save`, [{ nodeId: planned.node.id, path: ['credentials', trigger.account] }]);
    }
    return { nodeId: planned.node.id, credentialId, trigger, props: triggerProps(planned.definition, planned.node.props) };
  }

  /** The session's contact on the account: created (flagged) on first use, pointed at this flow and trigger. */
  private async contact(workspaceId: string, flowId: string, target: Target, channel: string, sessionId: string, simulator: Pick<PollSimulator<unknown>, 'contactId'>): Promise<string> {
    const { knex } = this.deps;
    const flags = { simulator_flow_id: flowId, simulator_node_id: target.nodeId };
    const existing = async () => {
      const row = await knex('contacts').where({ workspace_id: workspaceId, credential_id: target.credentialId, simulator_session_id: sessionId }).first('id', 'provider_contact_id');
      if (row) await knex('contacts').where({ id: row.id }).update(flags);
      return row ? String(row.provider_contact_id) : undefined;
    };
    const known = await existing();
    if (known !== undefined) return known;
    for (let draw = 0; draw < CONTACT_DRAWS; draw++) {
      const contactId = simulator.contactId(SERIAL_BASE + randomInt(0, 2 ** 48 - 1));
      // Unique per account by contact id and by session: a conflict is either a real contact with
      // this id (draw again: never flag a real person) or the session's contact made a moment ago.
      const inserted = await knex('contacts').insert({
        id: randomUUID(), workspace_id: workspaceId, credential_id: target.credentialId, channel, provider_contact_id: contactId,
        name: CONTACT_NAME, simulator_session_id: sessionId, ...flags,
      }).onConflict().ignore().returning('id');
      if (inserted.length > 0) return contactId;
      const raced = await existing();
      if (raced !== undefined) return raced;
    }
    throw new AppError(503, 'simulator_busy', 'no free simulated contact id on this account; delete old simulator conversations and try again');
  }

  /** The button or list row `choiceId` of the latest outbound message that offered it to the contact. */
  private async choice(workspaceId: string, credentialId: string, contactId: string, choiceId: string): Promise<NonNullable<SimulatedMessage['choice']>> {
    const rows = await this.deps.knex('conversation_messages as m').join('contacts as c', 'c.id', 'm.contact_id')
      .where({ 'c.workspace_id': workspaceId, 'c.credential_id': credentialId, 'c.provider_contact_id': contactId, 'm.direction': 'out' })
      .whereNotNull('m.choices').orderBy('m.created_at', 'desc').limit(20).select('m.provider_message_id', 'm.choices');
    for (const row of rows) {
      const offered = (Array.isArray(row.choices) ? row.choices : []) as { id?: unknown; title?: unknown }[];
      const found = offered.find((c) => c.id === choiceId);
      if (found) return { id: choiceId, title: typeof found.title === 'string' ? found.title : choiceId, providerMessageId: String(row.provider_message_id) };
    }
    throw new AppError(400, 'unknown_choice', `no message of this conversation offers the choice "${choiceId}"`, [{ path: ['body', 'choiceId'], message: 'not offered' }]);
  }
}
