import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { InboundEvent } from '@switchyard/sdk';
import { replyEvent } from '../conversations/capabilities.js';
import type { ConversationFeed } from '../conversations/live.js';
import { applyStatus, recordEdit, recordInbound, type ContactState, type InboundMessageRow } from '../conversations/store.js';
import { prepare, runPrepared } from '../db/prepared.js';
import type { EventLaunchRequest, Launcher } from '../queue/launcher.js';
import type { RecordedEvent } from './events.js';
import { honoursHandoff, routeMatches, type ChannelRouteTable } from './routes.js';
import type { ChatSimulator } from './simulator.js';
import type { TestListeners } from './test-listen.js';
import { triggerInput } from './trigger-input.js';
import { claimWait, waitingKeys } from './waits.js';

/** Event types that carry a message a contact wrote (stored in the conversation). */
const MESSAGE_TYPES = new Set(['message', 'callback', 'comment', 'reaction']);
/** Event types that answer a send-and-wait (decision 030). */
const REPLY_TYPES = new Set(['message', 'callback']);

export interface DispatcherDeps {
  knex: Knex;
  launcher: Launcher;
  routes: ChannelRouteTable;
  listeners: TestListeners;
  /** The chat simulator's contacts start their session's flow only (decision 031). */
  simulator: Pick<ChatSimulator, 'launchFor'>;
  log: Logger;
  /**
   * Parallel dispatch lanes; a contact's events always take the same lane, so they stay in order.
   * Default: 1 — one lane batches a burst into one set of statements (each lane pays its own); with
   * 4, bench/channels.ts measured ~13% more CPU per echoed message and fewer acknowledgements/s.
   */
  lanes?: number;
  /** Events per dispatch batch. Default: 200. */
  batchSize?: number;
  /**
   * Sees every batch first (the payments ledger records payment events here). A throw leaves the
   * batch pending for the sweep, so what it records is as durable as dispatch. Default: none.
   */
  observe?(batch: RecordedEvent[]): Promise<void>;
  /** Tells open inboxes which threads got a message, an edit or a status. Default: nobody is told. */
  feed?: ConversationFeed;
}

type Outcome = 'dispatched' | 'ignored';

/**
 * Marks a batch's events dispatched or ignored in one statement, only those still pending: their
 * pending row is deleted, and the status change, which no index names, stays a HOT update (decision 046).
 * `= any(array(…))` keeps both lookups on the primary keys: joined to the batch, the planner chose a
 * sequential scan of the pending table, which its dead rows make long between vacuums.
 */
const MARK = prepare('gateway_mark_events', `
  with x as (select * from jsonb_to_recordset(?::jsonb) as x(id text, status text)),
  done as (delete from pending_channel_events where event_id = any(array(select id from x)) returning event_id)
  update channel_events e set status = x.status
  from x where e.id = x.id and e.id = any(array(select event_id from done))`);

/**
 * Hands recorded events to the conversation store, waiting executions and flows (decision 029), in
 * batches, after the provider has had its 2xx. For each event, in order: (a) the conversation store
 * (the contact and the message, or the delivery status); (b) a message or callback answers the
 * contact's oldest send-and-wait, and then starts nothing else; (c) otherwise one execution per
 * active flow whose channel trigger on that account matches, deduplicated by the Launcher so a
 * second dispatch of the event starts nothing. An event nothing listens to is marked `ignored`.
 * An event whose dispatch failed stays `pending` and the sweep takes it again.
 */
export class Dispatcher {
  private readonly lanes: RecordedEvent[][];
  private readonly draining: (Promise<void> | undefined)[];

  constructor(private readonly deps: DispatcherDeps) {
    const count = Math.max(1, deps.lanes ?? 1);
    this.lanes = Array.from({ length: count }, () => []);
    this.draining = Array.from({ length: count }, () => undefined);
  }

  /** Queues events for dispatch in this process (not awaited by the delivery that recorded them). */
  enqueue(events: RecordedEvent[]): void {
    for (const recorded of events) {
      const lane = laneOf(`${recorded.credentialId}\0${recorded.event.contact?.id ?? recorded.event.id}`, this.lanes.length);
      this.lanes[lane]!.push(recorded);
      this.draining[lane] ??= this.drain(lane);
    }
  }

  /** Resolves once everything queued so far is dispatched (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining.some((d) => d !== undefined)) await Promise.all(this.draining);
  }

  private async drain(lane: number): Promise<void> {
    // A turn of the event loop first, so a burst of deliveries is dispatched as one batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const queue = this.lanes[lane]!;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, this.deps.batchSize ?? 200);
        await this.dispatch(batch).catch((error: unknown) => {
          this.deps.log.warn({ err: error, events: batch.length }, 'dispatching channel events failed; the sweep will take them again');
        });
      }
    } finally {
      this.draining[lane] = undefined;
    }
  }

  /** Dispatches one batch. Throws when the store cannot be written; events not marked stay pending. */
  async dispatch(batch: RecordedEvent[]): Promise<void> {
    await this.deps.observe?.(batch);
    const contacts = await this.recordConversations(batch);
    const resumed = await this.resumeWaits(batch);
    const launches: EventLaunchRequest[] = [];
    const outcomes: { id: string; status: Outcome }[] = [];
    for (const recorded of batch) {
      if (resumed.has(recorded.rowId)) continue;
      const contact = contacts.get(`${recorded.credentialId}\0${recorded.event.contact?.id}`);
      if (contact?.simulation) {
        // A simulated contact's message starts the edited flow's draft and nothing else: no active flow, no test listener.
        const launch = await this.deps.simulator.launchFor(recorded, contact.simulation);
        if (launch) launches.push(launch);
        outcomes.push({ id: recorded.rowId, status: launch ? 'dispatched' : 'ignored' });
        continue;
      }
      const paused = contact?.automationPaused ?? false;
      const matched = await this.matchingLaunches(recorded, paused);
      launches.push(...matched);
      const tests = await this.deps.listeners.onEvent(recorded, paused);
      outcomes.push({ id: recorded.rowId, status: matched.length + tests > 0 ? 'dispatched' : 'ignored' });
    }
    // One statement and one Redis round trip for the whole batch; a repeat of it (the sweep) starts
    // nothing twice, so a failure here leaves the events pending for the sweep.
    await this.deps.launcher.launchMany(launches);
    if (outcomes.length > 0) await runPrepared(this.deps.knex, MARK, [JSON.stringify(outcomes)]);
  }

  /** (a) Contacts and messages per account in one statement; statuses and edits one by one. */
  private async recordConversations(batch: RecordedEvent[]): Promise<Map<string, ContactState>> {
    const contacts = new Map<string, ContactState>();
    const byAccount = new Map<string, { account: RecordedEvent; messages: InboundMessageRow[] }>();
    for (const recorded of batch) {
      const { event } = recorded;
      const account = { workspaceId: recorded.workspaceId, credentialId: recorded.credentialId };
      if (event.type === 'status' && event.status) {
        this.deps.feed?.changed(recorded.workspaceId, await applyStatus(this.deps.knex, account, event.status), 'status');
      } else if (event.type === 'edit' && event.message) {
        this.deps.feed?.changed(recorded.workspaceId, await recordEdit(this.deps.knex, recorded.credentialId, event.message.providerMessageId, event.message.text), 'message');
      } else if (MESSAGE_TYPES.has(event.type) && event.message && event.contact) {
        const group = byAccount.get(recorded.credentialId) ?? { account: recorded, messages: [] };
        group.messages.push(messageRow(event, recorded.receivedAt));
        byAccount.set(recorded.credentialId, group);
      }
    }
    for (const [credentialId, { account, messages }] of byAccount) {
      const states = await recordInbound(this.deps.knex, { workspaceId: account.workspaceId, credentialId, channel: account.channel }, messages);
      for (const [contactId, state] of states) {
        contacts.set(`${credentialId}\0${contactId}`, state);
        this.deps.feed?.changed(account.workspaceId, state.contactRowId, 'message');
      }
    }
    return contacts;
  }

  /** (b) Send-and-wait: which events resumed a waiting execution (and so start nothing else). */
  private async resumeWaits(batch: RecordedEvent[]): Promise<Set<string>> {
    const resumed = new Set<string>();
    const replies = batch.filter((r) => REPLY_TYPES.has(r.event.type) && r.event.contact);
    if (replies.length === 0) return resumed;
    const keyOf = (r: RecordedEvent) => replyEvent(r.credentialId, r.event.contact!.id);
    const waiting = await waitingKeys(this.deps.knex, replies.map(keyOf));
    // In order: a contact's first message answers the oldest wait, the next one the next.
    for (const recorded of replies) {
      const key = keyOf(recorded);
      if (!waiting.has(key)) continue;
      const executionId = await claimWait(this.deps.knex, key, recorded.rowId, recorded.receivedAt, triggerInput(recorded.event, recorded.credentialId));
      if (!executionId) continue;
      resumed.add(recorded.rowId);
      await this.deps.launcher.continueExecution(executionId);
    }
    return resumed;
  }

  /** (c) The executions to start: one per active trigger on the account that matches the event. */
  private async matchingLaunches(recorded: RecordedEvent, paused: boolean): Promise<EventLaunchRequest[]> {
    const { event, credentialId } = recorded;
    const launches: EventLaunchRequest[] = [];
    for (const route of await this.deps.routes.forAccount(credentialId)) {
      if (route.workspaceId !== recorded.workspaceId || !routeMatches(route, event, this.deps.log)) continue;
      if (paused && honoursHandoff(route)) continue;
      launches.push({
        workspaceId: route.workspaceId, flowId: route.flowId, version: route.version, triggerNodeId: route.nodeId,
        mode: 'channel', input: triggerInput(event, credentialId),
        // The execution's id comes from the event's row and the trigger: a second dispatch of this
        // event (the sweep) computes the same one and starts nothing new.
        inbound: { source: `channel:${route.flowId}:${route.nodeId}`, providerEventId: `${credentialId}:${event.id}` },
        eventRowId: recorded.rowId,
      });
    }
    return launches;
  }
}

function messageRow(event: InboundEvent, receivedAt: number): InboundMessageRow {
  const message = event.message!;
  return {
    contactId: event.contact!.id, contactName: event.contact!.name, providerMessageId: message.providerMessageId,
    messageType: message.messageType, text: message.text, media: message.media,
    choices: message.choice ? [message.choice] : undefined, email: message.email,
    at: typeof event.at === 'number' && Number.isFinite(event.at) ? event.at : receivedAt,
  };
}

/** A lane for a key (FNV-1a): the same contact always lands in the same lane. */
function laneOf(key: string, lanes: number): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % lanes;
}
