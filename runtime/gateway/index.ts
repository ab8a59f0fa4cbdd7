import type { Knex } from 'knex';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CredentialKindDefinition, CredentialValue, HttpClient } from '@switchyard/sdk';
import type { NodeRegistry } from '../../nodes/index.js';
import type { ConversationFeed } from '../conversations/live.js';
import type { Channels } from '../queue/channels.js';
import type { PollJobData } from '../queue/jobs.js';
import type { Launcher } from '../queue/launcher.js';
import type { PlanLoader } from '../queue/plans.js';
import type { ChannelAnswer, InboundService } from '../services/types.js';
import { AccountCache, callbackUrl } from './accounts.js';
import { Dispatcher } from './dispatch.js';
import { EventRecorder, type RecordedEvent } from './events.js';
import { ChannelTriggerLifecycle } from './lifecycle.js';
import { recordPolled, runPoll } from './poll.js';
import { receive } from './receive.js';
import { ChannelRouteTable } from './routes.js';
import { ChatSimulator } from './simulator.js';
import { sweepPending } from './sweep.js';
import { TestListeners } from './test-listen.js';

export { accountSecret, callbackUrl } from './accounts.js';
export { ChannelTriggerLifecycle } from './lifecycle.js';

/** How long a recorded event is left to the process that recorded it before the sweep may dispatch it. */
const SWEEP_AFTER_MS = 10_000;
/** How often workers look for events left pending. */
const SWEEP_EVERY_MS = 5_000;

export interface GatewayDeps {
  knex: Knex;
  /** A command connection (test listeners' keys). */
  redis: Redis;
  queue: Queue;
  channels: Channels;
  launcher: Launcher;
  plans: PlanLoader;
  registry: () => NodeRegistry;
  kinds: () => Readonly<Record<string, CredentialKindDefinition>>;
  loadCredentials(workspaceId: string, ids: string[], db?: Knex): Promise<Map<string, CredentialValue>>;
  encryptionKey: Buffer;
  publicUrl: string;
  http: HttpClient;
  log: Logger;
  /** See {@link SWEEP_AFTER_MS}; tests shorten it. */
  sweepAfterMs?: number;
  /** Sees every dispatch batch first (the payments ledger). Default: none. */
  observe?(batch: RecordedEvent[]): Promise<void>;
  /** Open inboxes hear what dispatch records. Default: nobody is told. */
  feed?: ConversationFeed;
}

/** The inbound gateway as the runtime wires it (decision 029). */
export interface InboundGateway extends InboundService {
  /** Accounts by credential id (decrypted fields kept briefly). */
  accounts: AccountCache;
  lifecycle: ChannelTriggerLifecycle;
  /** Trigger changes: the route table reloads on next use. */
  invalidate(): void;
  /** A credential was edited or deleted: its cached account goes. */
  forgetAccount(credentialId: string): void;
  /** A poll scheduler fired (worker). */
  poll(data: PollJobData, repeatJobKey?: string): Promise<void>;
  /** Starts the sweep of events left pending (workers); returns its stop. */
  startSweep(): () => void;
  /** Dispatches what is left pending now (the sweep's one pass); returns how many events. */
  sweep(): Promise<number>;
  /** Resolves when everything this process queued for dispatch is done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export async function createInboundGateway(deps: GatewayDeps): Promise<InboundGateway> {
  const sweepAfterMs = deps.sweepAfterMs ?? SWEEP_AFTER_MS;
  const accounts = new AccountCache(deps);
  const routes = new ChannelRouteTable(deps.knex, deps.plans, deps.log);
  const listeners = new TestListeners(deps);
  await listeners.start();
  const simulator: ChatSimulator = new ChatSimulator({
    knex: deps.knex, plans: deps.plans, accounts, log: deps.log,
    receive: (delivery): Promise<ChannelAnswer> => receive({ recorder, accounts, dispatcher, log: deps.log, publicUrl: deps.publicUrl, http: deps.http }, delivery),
    recordPolled: (account, events) => recordPolled({ recorder, dispatcher }, account, events),
  });
  const dispatcher: Dispatcher = new Dispatcher({ knex: deps.knex, launcher: deps.launcher, routes, listeners, simulator, log: deps.log, observe: deps.observe, feed: deps.feed });
  const lifecycle = new ChannelTriggerLifecycle({ ...deps, accounts });
  const recorder = new EventRecorder(deps.knex, sweepAfterMs);
  const unsubscribe = await deps.channels.subscribe(deps.channels.name('webhooks'), () => routes.invalidate());

  return {
    accounts,
    lifecycle,
    receive: (delivery) => receive({ recorder, accounts, dispatcher, log: deps.log, publicUrl: deps.publicUrl, http: deps.http }, delivery),
    async accountInfo(workspaceId, credentialId) {
      const found = await accounts.forWorkspace(workspaceId, credentialId);
      if (!found?.definition.inbound) return undefined;
      const label = found.definition.inbound.secretLabel;
      return { callbackUrl: callbackUrl(deps.publicUrl, credentialId), ...(label ? { verifyToken: { label, value: found.account.secret } } : {}) };
    },
    listenForTest: (workspaceId, flowId, nodeId) => listeners.listen(workspaceId, flowId, nodeId),
    testListenState: (workspaceId, flowId, listenId) => listeners.state(workspaceId, flowId, listenId),
    simulate: (workspaceId, flowId, input) => simulator.send(workspaceId, flowId, input),
    simulatorThread: (workspaceId, flowId, sessionId) => simulator.thread(workspaceId, flowId, sessionId),
    invalidate: () => routes.invalidate(),
    forgetAccount: (credentialId) => accounts.forget(credentialId),
    poll: (data, repeatJobKey) => runPoll({
      knex: deps.knex, lifecycle, dispatcher, log: deps.log, recorder,
      removeScheduler: async (key) => { await deps.queue.removeJobScheduler(key); },
    }, data, repeatJobKey),
    sweep: () => sweepPending(deps.knex, dispatcher),
    startSweep() {
      const timer = setInterval(() => {
        sweepPending(deps.knex, dispatcher).then(
          (n) => { if (n > 0) deps.log.info({ events: n }, 'dispatched channel events left pending'); },
          (error: unknown) => deps.log.warn({ err: error }, 'channel event sweep failed'),
        );
      }, SWEEP_EVERY_MS);
      timer.unref();
      return () => clearInterval(timer);
    },
    idle: () => dispatcher.idle(),
    async close() {
      await dispatcher.idle();
      await unsubscribe();
      await listeners.close();
    },
  };
}
