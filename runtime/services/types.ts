import type { EmailContent, Json } from '@switchyard/sdk';
import type { FlowDocument } from '../flow/document.js';
import type { Problem } from '../errors.js';

/**
 * The runtime's public service contracts. `app/` talks to the runtime only through these (via
 * `runtime/index.ts`); every method takes the caller's workspace id and filters by it.
 */

export type ExecutionStatus = 'queued' | 'running' | 'waiting' | 'succeeded' | 'failed' | 'cancelled';
/** `channel`: started by an event of a channel account through the inbound gateway (decision 029). */
export type ExecutionMode = 'manual' | 'webhook' | 'schedule' | 'subflow' | 'rerun' | 'cli' | 'channel';
export type Priority = 'high' | 'normal' | 'low';

export interface FlowSummary {
  id: string;
  name: string;
  description?: string;
  active: boolean;
  version: number;
  activeVersion: number | null;
  createdAt: string;
  updatedAt: string;
  lastExecution?: { id: string; status: ExecutionStatus; createdAt: string };
  /**
   * Triggers of the active flow that keep failing (a poller that failed 3 times in a row), with the
   * last error: the flows list shows them. Absent when none is failing.
   */
  triggerProblems?: TriggerProblem[];
}

/** A trigger of an active flow that keeps failing. */
export interface TriggerProblem {
  nodeId: string;
  /** The provider's last error (never a secret). */
  message: string;
  /** Failures in a row. */
  failures: number;
  /** ISO time of the last failure. */
  since: string;
}

export interface FlowRecord extends FlowSummary {
  document: FlowDocument;
  /** Problems a draft save kept (empty or absent for a valid flow). Activation and runs refuse until fixed. */
  problems?: Problem[];
}

/** Save options. */
export interface SaveOptions {
  /**
   * Keep a work-in-progress document that is well-formed (format, ids, structure) but has graph or
   * props problems; they are returned in `problems`. Default: false — any problem is a 400.
   */
  draft?: boolean;
}

export interface FlowVersionSummary {
  version: number;
  createdAt: string;
  name: string;
}

export interface FlowService {
  list(workspaceId: string, query?: { search?: string; limit?: number }): Promise<FlowSummary[]>;
  get(workspaceId: string, flowId: string): Promise<FlowRecord>;
  /** Validates (400 listing every problem) and stores version 1. */
  create(workspaceId: string, document: unknown, options?: SaveOptions): Promise<FlowRecord>;
  /** Validates and stores a new version; the earlier ones stay in history. An active flow's triggers move to it. */
  update(workspaceId: string, flowId: string, document: unknown, options?: SaveOptions): Promise<FlowRecord>;
  /** Deactivates, then removes the flow (its executions stay readable until pruned). */
  remove(workspaceId: string, flowId: string): Promise<void>;
  versions(workspaceId: string, flowId: string): Promise<FlowVersionSummary[]>;
  getVersion(workspaceId: string, flowId: string, version: number): Promise<FlowDocument>;
  /** Every problem at once; an empty list means valid. `forActivation` also checks trigger conflicts. */
  validate(workspaceId: string, document: unknown, options?: { flowId?: string; forActivation?: boolean }): Promise<Problem[]>;
  activate(workspaceId: string, flowId: string): Promise<FlowRecord>;
  deactivate(workspaceId: string, flowId: string): Promise<FlowRecord>;
  /**
   * Makes the queue's schedulers match the schedules of active flows (Postgres is the record): adds
   * the missing or changed and removes the orphaned. Workers run it when they start.
   */
  reconcileSchedules(): Promise<{ added: number; removed: number }>;
}

export interface StepRecord {
  /** Order of recording within the execution; a page of steps continues after the last one's. */
  seq: number;
  stepKey: string;
  nodeId: string;
  nodeType: string;
  status: 'succeeded' | 'failed' | 'waiting';
  attempt: number;
  input: Json | null;
  output: Record<string, Json> | null;
  error: { message: string; code?: string; nodeId?: string; details?: Json } | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
}

/**
 * Which steps of an execution a read returns. A loop can record 100,000 steps (decision 023), so
 * the API reads them a page at a time (decision 024).
 * - `all`: every step, in order (in-process callers: the CLI, tests).
 * - `page`: up to `limit` steps with `seq` above `after`, in order.
 * - `latest`: the latest step of each node, in order (the editor's canvas shows one per node).
 * - `none`: no steps.
 */
export type StepsView =
  | { kind: 'all' }
  | { kind: 'page'; after: number; limit: number }
  | { kind: 'latest' }
  | { kind: 'none' };

export interface ExecutionSummary {
  id: string;
  flowId: string;
  flowVersion: number;
  status: ExecutionStatus;
  mode: ExecutionMode;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  error: { message: string; code?: string; nodeId?: string } | null;
}

export interface ExecutionRecord extends ExecutionSummary {
  triggerInput: Json | null;
  result: Json | null;
  /** The steps asked for (all, a page, or the latest per node: see `StepsView`), in recording order. */
  steps: StepRecord[];
  /** Steps the execution has recorded in all. */
  stepCount: number;
  /** Where the next page of steps starts (`stepsAfter`); null when there is none. */
  nextStepsAfter: number | null;
  /** With the `latest` view: steps recorded per node id (a node in a loop runs once per item). */
  nodeStepCounts?: Record<string, number>;
  /** URL path that resumes a parked `resumable` wait, when one is pending. */
  resumePath?: string;
  /** Tokens and cost of the AI steps, summed (decision 032); absent when no AI step reported usage. */
  aiUsage?: { steps: number; promptTokens: number; completionTokens: number; totalTokens: number; cost: number; currency: 'USD'; unpricedSteps: number };
}

export interface RunOptions {
  mode?: ExecutionMode;
  priority?: Priority;
  /** Use this version instead of the latest saved one. */
  version?: number;
  /** Start at this (manual) trigger node. Default: the flow's first manual or webhook trigger. */
  triggerNodeId?: string;
  /**
   * Test runs only (mode `manual`): outputs by node id, then by port, used instead of running those
   * nodes — the editor's "pin output", so a test run need not call the outside world again.
   */
  pinned?: Record<string, Record<string, Json>>;
}

export interface ExecutionListQuery {
  flowId?: string;
  status?: ExecutionStatus;
  limit?: number;
  before?: string;
  /** ISO time; created at or after it. */
  since?: string;
  /** ISO time; created before it (exclusive, so `until` of one day is `since` of the next). */
  until?: string;
}

export interface ExecutionService {
  /** Queues a run of the flow's latest saved version (or `options.version`). */
  run(workspaceId: string, flowId: string, input: Json, options?: RunOptions): Promise<{ executionId: string }>;
  /**
   * Newest first. `before` is a cursor (created strictly before that ISO time); `since`/`until` bound
   * the creation time to [since, until) so a date range and the cursor can be combined. Bad dates: 400.
   */
  list(workspaceId: string, query?: ExecutionListQuery): Promise<ExecutionSummary[]>;
  /** One execution with the steps `steps` selects. Default: all of them. */
  get(workspaceId: string, executionId: string, steps?: StepsView): Promise<ExecutionRecord>;
  /** Waits until the execution is finished (or parked) or the timeout passes; returns its record. */
  waitFor(workspaceId: string, executionId: string, timeoutMs: number): Promise<ExecutionRecord>;
  cancel(workspaceId: string, executionId: string): Promise<ExecutionSummary>;
  /** A new execution with the same trigger input, or starting at `fromStep` with that step's recorded input. */
  rerun(workspaceId: string, executionId: string, options?: { fromStep?: string }): Promise<{ executionId: string }>;
  /** Resumes a parked `resumable` wait by its token (from the resume URL); 404 if none is waiting. */
  resume(token: string, payload: Json): Promise<{ executionId: string }>;
  /**
   * Live events of one execution (for the editor's run view over SSE): step starts and ends for
   * manual runs, and every status change. Returns an unsubscribe function.
   */
  watch(workspaceId: string, executionId: string, listener: (event: ExecutionEvent) => void): Promise<() => Promise<void>>;
}

export type ExecutionEvent =
  | { type: 'status'; executionId: string; status: ExecutionStatus }
  | { type: 'step'; executionId: string; stepKey: string; nodeId: string; status: 'running' | 'succeeded' | 'failed' | 'waiting'; durationMs?: number; error?: string };

export interface CredentialSummary {
  id: string;
  name: string;
  kind: string;
  createdAt: string;
  updatedAt: string;
}

/** One credential as the editor's edit form sees it: never a secret value. */
export interface CredentialDetail extends CredentialSummary {
  /** The stored values of the fields that are not secret. */
  fields: Record<string, string>;
  /** The secret fields that hold a value (shown as "set"; replaced only when typed anew). */
  secretsSet: string[];
}

/**
 * An edit of a credential's fields, merged over the stored ones: a field given replaces its value,
 * `null` removes it, a field left out keeps its stored value (so an untouched secret stays).
 */
export type CredentialFieldsPatch = Record<string, unknown>;

export interface CredentialService {
  list(workspaceId: string): Promise<CredentialSummary[]>;
  /** Validates `data` against the kind's schema, encrypts it; the secret is never returned. */
  create(workspaceId: string, input: { name: string; kind: string; data: unknown }): Promise<CredentialSummary>;
  get(workspaceId: string, id: string): Promise<CredentialDetail>;
  /**
   * Renames and/or edits the fields (merged, validated with the kind's schema, encrypted again). The id
   * stays, so flows stay bound; the next step that uses it gets the new fields, in every process.
   */
  update(workspaceId: string, id: string, input: { name?: string; data?: CredentialFieldsPatch }): Promise<CredentialSummary>;
  /** Refused (409) while a flow uses it, naming the flows. */
  remove(workspaceId: string, id: string): Promise<void>;
  /**
   * "Test connection": runs the kind's test with the stored fields — or with `data` merged over them,
   * to try an edit before saving it (nothing is stored) — through the guarded HTTP client. 404 for an
   * unknown id, 400 `not_testable` for a kind without a test; a failed connection is `{ ok: false }`,
   * not an error. The message never contains a secret.
   */
  test(workspaceId: string, id: string, data?: CredentialFieldsPatch): Promise<CredentialTestOutcome>;
}

export interface CredentialTestOutcome {
  ok: boolean;
  message: string;
}

export interface Principal {
  workspaceId: string;
  userId?: string;
  apiKeyId?: string;
}

export interface AuthService {
  /** True until the first owner exists. */
  needsSetup(): Promise<boolean>;
  /** Creates the owner; 409 once one exists. */
  setupOwner(input: { email: string; password: string }): Promise<{ userId: string }>;
  /** Rate-limited by `clientKey` (IP); returns a session token for the cookie. */
  login(input: { email: string; password: string; clientKey: string }): Promise<{ sessionToken: string; expiresAt: Date }>;
  logout(sessionToken: string): Promise<void>;
  authenticateSession(sessionToken: string): Promise<Principal | undefined>;
  authenticateApiKey(key: string): Promise<Principal | undefined>;
  /** The signed-in user's public profile (for "signed in as"). */
  getUser(userId: string): Promise<{ id: string; email: string; role: string } | undefined>;
  /** The plaintext key is returned once; only its hash is stored. */
  createApiKey(workspaceId: string, name: string): Promise<{ id: string; key: string; prefix: string }>;
  listApiKeys(workspaceId: string): Promise<{ id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null }[]>;
  revokeApiKey(workspaceId: string, id: string): Promise<void>;
}

export interface VariableService {
  list(workspaceId: string): Promise<{ key: string; value: string }[]>;
  set(workspaceId: string, key: string, value: string): Promise<void>;
  remove(workspaceId: string, key: string): Promise<void>;
}

/** What an inbound webhook call looks like to the runtime: the raw body is kept for signatures. */
export interface InboundRequest {
  /** Caller address, for the per-caller webhook rate limit. */
  clientIp?: string;
  method: string;
  /** Path after `/hooks/`, without a leading slash. */
  path: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string>;
  rawBody: Buffer;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  body: Json;
}

export interface WebhookService {
  /** Verifies, records the inbound event, starts the execution; sync flows wait for their response. */
  handle(request: InboundRequest): Promise<OutboundResponse>;
}

export interface NodeCatalogEntry {
  type: string;
  version: number;
  title: string;
  category: string;
  description: string;
  icon: string;
  trigger?: string;
  /** JSON Schema of the props with UI hints (title, description, expression, secret, widget, enumLabels). */
  propsSchema: Record<string, unknown>;
  ports: { in: string[]; out: string[]; dynamicOut: boolean };
  credentials: Record<string, { kind: string; optional: boolean; title: string }>;
  sideEffects: boolean;
}

export interface CredentialKindEntry {
  kind: string;
  title: string;
  description?: string;
  schema: Record<string, unknown>;
  /** The kind has a connection test (`POST /api/credentials/:id/test`); the editor shows the button. */
  testable: boolean;
  /**
   * Present (true) when the provider calls back: `GET /api/credentials/:id` has the account's
   * `callbackUrl`, the editor shows it, and the inbox offers the kind as a channel. Default: absent.
   */
  inbound?: true;
}

/** An installed plugin version (`GET /api/plugins`). */
export interface PluginSummary {
  name: string;
  version: string;
  description: string;
  author: string;
  minSwitchyard: string;
  integrity: string;
  nodes: { type: string; version: number; title: string; description: string }[];
  /** What the manifest asks for: shown to the owner before approval. */
  permissions: { hosts: string[]; credentialKinds: string[] };
  /** Only approved versions are loaded and usable in flows. */
  approved: boolean;
  installedAt: string;
}

export interface PluginUpgrade {
  flow: FlowRecord;
  /** Nodes whose `typeVersion` changed. */
  upgraded: { nodeId: string; type: string; from: number; to: number }[];
}

export interface PluginService {
  list(workspaceId: string): Promise<PluginSummary[]>;
  /**
   * Validates a packed plugin (manifest schema, integrity, that the bundle defines exactly the
   * manifest's nodes, minimum Switchyard version, no clash with installed node versions) and stores
   * it; 409 if that version is installed. Usable once approved (`approve: true` does both).
   */
  install(workspaceId: string, packed: unknown, options?: { approve?: boolean }): Promise<PluginSummary>;
  /** Approves the permissions the manifest asks for; the nodes appear in the registry and catalog. */
  approve(workspaceId: string, name: string, version: string): Promise<PluginSummary>;
  /** Refused (409) while an active flow uses one of its nodes, naming the flows. */
  uninstall(workspaceId: string, name: string, version: string): Promise<void>;
  /** Moves a flow's nodes of `plugin` to `version` (default: the newest approved); saves a new flow version, re-validating props. */
  upgradeFlowNodes(workspaceId: string, flowId: string, input: { plugin: string; version?: string }): Promise<PluginUpgrade>;
}

/** A provider's call to `/inbound/<credentialId>` (the inbound gateway, decision 029): the raw body is kept for signatures. */
export interface ChannelDelivery {
  credentialId: string;
  method: string;
  /** Path and query string as received (`/inbound/<id>?…`): some providers sign the whole URL. */
  pathAndQuery: string;
  headers: Record<string, string | undefined>;
  query: Record<string, string>;
  rawBody: Buffer;
  /** The request id, logged with a refused delivery. */
  deliveryId: string;
}

/** The gateway's answer to a provider: exactly what the provider expects (a handshake's challenge, its 2xx). */
export interface ChannelAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the editor shows for an account whose provider calls back (`GET /api/credentials/:id`). */
export interface InboundAccountInfo {
  /** Where the provider must deliver: `SWITCHYARD_PUBLIC_URL/inbound/<credentialId>`. */
  callbackUrl: string;
  /** The token to paste in the provider's console (Meta's verify token), when the kind needs one. */
  verifyToken?: { label: string; value: string };
}

/** "Listen for a test event" started. */
export interface TestListen {
  listenId: string;
  /** The account listened to. */
  credentialId: string;
  expiresAt: string;
}

export interface TestListenState {
  status: 'listening' | 'received' | 'expired';
  /** The test run the event started (status `received`). */
  executionId?: string;
}

/** The inbound gateway (decision 029). */
export interface InboundService {
  /** Handshake → signature → parse → record → acknowledge; the events are dispatched after the answer. */
  receive(delivery: ChannelDelivery): Promise<ChannelAnswer>;
  /** The callback URL (and verify token) of an account whose kind takes deliveries; undefined otherwise. */
  accountInfo(workspaceId: string, credentialId: string): Promise<InboundAccountInfo | undefined>;
  /**
   * The next event of the trigger's account that the trigger matches also starts a test run of the
   * flow's latest saved version (active flows keep receiving theirs). Listens for 2 minutes.
   */
  listenForTest(workspaceId: string, flowId: string, nodeId: string): Promise<TestListen>;
  testListenState(workspaceId: string, flowId: string, listenId: string): Promise<TestListenState>;
  /**
   * The chat simulator (decision 031): sends a message (or a button press) as the session's simulated
   * contact of the flow's channel trigger account, through the account's own signed delivery path; it
   * starts only this flow's latest saved version, and what the flow sends back stays in the store.
   */
  simulate(workspaceId: string, flowId: string, input: SimulatorMessageInput): Promise<SimulatorSent>;
  /** The simulator session's conversation (empty before its first message). */
  simulatorThread(workspaceId: string, flowId: string, sessionId: string): Promise<SimulatorThread>;
}

/** What the chat simulator sends (`POST /api/flows/:id/simulator/messages`). Exactly one of `text` and `choiceId`. */
export interface SimulatorMessageInput {
  /** The editor's session: one simulated contact per session and account. */
  sessionId: string;
  /** The channel trigger to chat with. Default: the flow's first channel trigger. */
  nodeId?: string;
  text?: string;
  /** The subject, for a channel that has one (email; decision 042). Other channels ignore it. Default: none. */
  subject?: string;
  /** A button or list row of a message the flow sent to the contact. */
  choiceId?: string;
  /** The editor's id of this message: sending it again is deduplicated. Default: a new one. */
  messageId?: string;
}

export interface SimulatorSent {
  sessionId: string;
  messageId: string;
  nodeId: string;
  credentialId: string;
  channel: string;
  contact: { id: string; name: string };
  /** The status the gateway acknowledged the simulated delivery with (the provider's 2xx; 200 once a polling trigger's event is recorded). */
  acknowledged: number;
}

export interface SimulatorThread {
  sessionId: string;
  /** The conversation's id in the inbox; null before the first message. */
  conversationId: string | null;
  channel: string | null;
  credentialId: string | null;
  nodeId: string | null;
  contact: { id: string; name: string | null } | null;
  automationPaused: boolean;
  /** Oldest first; outbound ones carry the execution and step that sent them. */
  messages: ConversationMessageRecord[];
}

/** One message of a conversation, as the inbox shows it. */
export interface ConversationMessageRecord {
  id: string;
  direction: 'in' | 'out';
  text: string | null;
  messageType: string;
  media: Json | null;
  /** Buttons or list rows offered (outbound) or chosen (inbound). */
  choices: Json | null;
  /** An email's subject and bodies (decision 042; `html` on outbound mail only); null for other channels and in thread lists. */
  email: EmailContent | null;
  /** `received` for inbound; queued, sent, delivered, read or failed for outbound. */
  status: string;
  statusAt: string | null;
  error: Json | null;
  providerMessageId: string;
  /** The execution (and step) that sent it; null for inbound messages and replies typed in the inbox. */
  executionId: string | null;
  stepKey: string | null;
  createdAt: string;
}

/** A thread: one contact of one channel account. */
export interface ConversationSummary {
  /** The thread's id (`/api/conversations/:id`). */
  id: string;
  /** The account's credential kind (`telegram`, `whatsapp`, …). */
  channel: string;
  accountId: string;
  accountName: string | null;
  contact: { id: string; name: string | null };
  lastMessage: ConversationMessageRecord | null;
  /** Inbound messages since a person last opened or answered the thread. */
  unread: number;
  /** A person has taken over: channel triggers that honour it skip this contact. */
  automationPaused: boolean;
  /** The contact blocked the account (e.g. Telegram 403). */
  blocked: boolean;
  /** The editor's chat simulator plays this contact (decision 031): nothing sent to them reaches the provider. */
  simulated: boolean;
  lastMessageAt: string;
  /** When the contact last wrote (WhatsApp's 24-hour customer-service window starts there). */
  lastInboundAt: string | null;
}

export interface ConversationDetail extends ConversationSummary {
  /** A page of messages, oldest first. */
  messages: ConversationMessageRecord[];
  /** Pass as `before` for the page of older messages; null when there is none. */
  nextBefore: string | null;
}

export interface ConversationListQuery {
  /** A channel (credential kind). */
  channel?: string;
  /** `unread`: unread messages; `paused`: a person took over; `blocked`; `automated`: neither paused nor blocked. */
  status?: 'unread' | 'paused' | 'blocked' | 'automated';
  /** Words in the contact's name or id, or the account's name (case-insensitive). Default: every thread. */
  q?: string;
  /** Default 50, at most 200. */
  limit?: number;
  /** ISO time: threads whose last message is older (the cursor of the next page). */
  before?: string;
}

/** The conversation inbox (decision 030). */
export interface ConversationService {
  /** Threads newest first. */
  list(workspaceId: string, query?: ConversationListQuery): Promise<ConversationSummary[]>;
  /** One thread with a page of its messages (default the newest 50); opening it marks it read. */
  get(workspaceId: string, id: string, query?: { limit?: number; before?: string }): Promise<ConversationDetail>;
  /** A person replies: sent through the channel (`replyText` of its kind), recorded with no execution. */
  reply(workspaceId: string, id: string, text: string): Promise<ConversationMessageRecord>;
  /** Pauses (a person takes over) or resumes automation for the contact. */
  setAutomation(workspaceId: string, id: string, paused: boolean): Promise<ConversationSummary>;
  /**
   * Calls `listener` with the workspace's thread changes as any process records them (batched,
   * about every 100 ms), and nothing of another workspace. Returns an unsubscribe function.
   */
  watch(workspaceId: string, listener: (change: ConversationChange) => void): Promise<() => Promise<void>>;
}

/**
 * What changed in a thread: `message` (a message in or out, or an edit), `status` (a delivery
 * status moved), `automation` (paused or resumed), `blocked` (the contact blocked the account),
 * `read` (someone opened the thread).
 */
export type ConversationChangeKind = 'message' | 'status' | 'automation' | 'blocked' | 'read';

/** One live notice of the inbox: threads (ids) that changed and how; `truncated` when more changed than it names. */
export interface ConversationChange {
  threads: { id: string; changes: ConversationChangeKind[] }[];
  truncated?: true;
}
