import type { z } from 'zod';
import type { Json } from './json.js';
import type { ChannelCapabilities, ChannelTrigger } from './inbound.js';
import type { KnowledgeCapabilities } from './knowledge.js';
import type { AiCapabilities } from './ai.js';
import type { PaymentCapabilities } from './payments.js';
import type { EscalationCapabilities } from './escalations.js';
import type { DecisionCapabilities } from './decisions.js';

/** A credential slot a node declares; the node sees only the credentials of its declared slots. */
export interface CredentialSlot {
  /** Credential kind(s) accepted, e.g. `http-bearer`, `openai`, `hmac-secret`, or a list of them. */
  kind: string | readonly string[];
  /** The node works without it. Default: false. */
  optional?: boolean;
  /** Label in the editor; defaults to the slot name. */
  title?: string;
}
export type CredentialSlots = Record<string, CredentialSlot>;

/** A decrypted credential: its kind and fields, as the kind's schema defines them. Never logged or recorded. */
export interface CredentialValue {
  /** The credential's id: the connected account a channel node sends from. */
  id?: string;
  kind: string;
  fields: Record<string, string>;
  /**
   * The account's callback URL (`SWITCHYARD_PUBLIC_URL` + `/inbound/<id>`) for kinds with an inbound
   * handler, so a send node can ask the provider to report delivery statuses there (Twilio's
   * `StatusCallback`). Default: none.
   */
  callbackUrl?: string;
}

export type CredentialsOf<C extends CredentialSlots> = {
  [K in keyof C]: C[K]['optional'] extends true ? CredentialValue | undefined : CredentialValue;
};

export interface HttpRequest {
  url: string;
  /** Default: 'GET'. */
  method?: string;
  headers?: Record<string, string>;
  /** A string or bytes; objects must be serialised by the caller. */
  body?: string | Uint8Array;
  /** Default: 30 000 ms, and never past the step's own timeout. */
  timeoutMs?: number;
  /** Redirects followed, each re-checked by the outbound guard. Default: 5. */
  maxRedirects?: number;
  /** Response bodies larger than this fail the request. Default: 10 MiB. */
  maxBytes?: number;
  /** Pass `ctx.signal` so a step timeout or cancel aborts the request. */
  signal?: AbortSignal;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Final URL after redirects. */
  url: string;
  body: Uint8Array;
  text(): string;
  json(): Json;
}

/** Outbound HTTP, refused for loopback/private/link-local/metadata addresses unless allowed. */
export interface HttpClient {
  request(request: HttpRequest): Promise<HttpResponse>;
  /**
   * Applies the same outbound guard to a connection that is not HTTP (SMTP, IMAP): resolves `host` and
   * returns the addresses a socket may connect to (connect to one of them, with `host` as the TLS
   * server name, so DNS cannot answer differently in between), or rejects naming why the host is
   * refused. Clients without a guard may leave it out; callers then refuse to connect.
   */
  checkHost?(host: string, signal?: AbortSignal): Promise<string[]>;
}

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/** What a durable wait waits for. At least one of `until` and `resumable` must be given. */
export interface WaitSpec {
  /** Resume at this instant (epoch ms). */
  until?: number;
  /** Issue a resume URL; a POST to it resumes the execution with the request body. Default: false. */
  resumable?: boolean;
  /** Internal event name the runtime resumes on (e.g. a sub-flow finishing). */
  event?: string;
}

/** Returned by `ctx.wait()`: the step parks the execution without holding a worker. */
export class WaitRequest {
  constructor(readonly spec: WaitSpec) {}
}

/** How the runtime resumed a parked step. */
export type ResumeEvent =
  | { kind: 'timer' }
  | { kind: 'resume'; payload: Json }
  /** `error` is set when what was awaited failed (e.g. the sub-flow failed); the node should throw. */
  | { kind: 'event'; name: string; payload: Json; error?: { message: string; code?: string } };

/** Returned by `ctx.loop()`: emits each item on `port` in its own scope (For each). */
export class LoopRequest {
  constructor(readonly items: Json[], readonly port: string, readonly concurrency: number) {}
}

/** A response for the caller of a synchronous webhook. */
export interface WebhookResponse {
  status: number;
  headers: Record<string, string>;
  body: Json;
}

/** Messages by output port. A port left out emits nothing, so its branch does not run. */
export type PortOutputs = Partial<Record<string, Json>>;
export type NodeResult = PortOutputs | WaitRequest | LoopRequest;

/** Options of `CoreCapabilities.startSubflow`. */
export interface SubflowOptions {
  /**
   * Tells apart several children of one step (an agent's sub-flow tool calls, started one after the
   * other, each awaited before the next). Letters, digits, `_ . : -`. Default: none (one child per step).
   */
  key?: string;
}

/** Options of `NodeContext.memo`. */
export interface MemoOptions {
  /** Recorded as the sub-step's input, e.g. a tool call's arguments. Default: null. */
  input?: Json;
}

/** Capabilities only built-in control nodes get; plugin nodes never see them. */
export interface CoreCapabilities {
  /** Sends the sync webhook's response now (first call wins); the flow may go on after it. */
  respond(response: WebhookResponse): void;
  /**
   * Starts an execution of another flow of this workspace with `input`; returns its id. The child's
   * id is derived from the step (and `options.key`), so starting it again after a crash is not a
   * second child; its end resumes the step's wait on `subflow:<child id>`.
   */
  startSubflow(flowId: string, input: Json, options?: SubflowOptions): Promise<string>;
  /**
   * Runs a Code node body in the sandbox: an async function body with `$json`, `$trigger`, `$node`,
   * `$vars`, `$execution` in scope. Returns its JSON result and what it printed with `console.log`.
   */
  runCode(source: string): Promise<{ result: Json; logs: string[] }>;
}

export interface NodeContext<C extends CredentialSlots = CredentialSlots> {
  readonly executionId: string;
  readonly flowId: string;
  readonly workspaceId: string;
  readonly nodeId: string;
  /** 1 for the first try of this step, then 2, 3, … */
  readonly attempt: number;
  /**
   * Stable for this execution + node + item scope across retries and worker restarts: pass it to
   * payment and message providers so a repeated call is not a repeated charge or message.
   */
  readonly idempotencyKey: string;
  readonly credentials: CredentialsOf<C>;
  readonly http: HttpClient;
  readonly log: Logger;
  /** Aborted on step timeout or execution cancel. */
  readonly signal: AbortSignal;
  /** Set when this run is the continuation of a parked step. */
  readonly resumed?: ResumeEvent;
  /** Park the execution durably: `return ctx.wait({ until })`. */
  wait(spec: WaitSpec): WaitRequest;
  /** Emit each item on `port` in its own scope: `return ctx.loop(items, 'item', 5)`. */
  loop(items: Json[], port: string, concurrency: number): LoopRequest;
  /**
   * Runs `run` at most once per execution for this step and `key`, as far as the record goes: its
   * result is recorded and committed as a sub-step of this step (step key `<step key>/<key>`, shown
   * in the execution view under this node) before `memo` returns, and when the step runs again (a
   * retry, a worker that died, a resumed wait) the recorded result is returned without calling
   * `run`. For steps that make several side effects one after another (the agent's model turns and
   * tool calls). `key`: letters, digits, `_ . : -`, unique within the step. A `run` that throws
   * records nothing. Undefined where the runtime records no sub-steps (plugin nodes).
   */
  memo?(key: string, run: () => Promise<Json>, options?: MemoOptions): Promise<Json>;
  /** Built-in control nodes (and the AI agent) only; undefined for plugin nodes. */
  readonly core?: CoreCapabilities;
  /** Conversation store, send-and-wait and shared rate limits for channel nodes (see `ChannelCapabilities`). */
  readonly channels?: ChannelCapabilities;
  /** Knowledge bases of the workspace, for built-in AI nodes (see `KnowledgeCapabilities`). */
  readonly knowledge?: KnowledgeCapabilities;
  /** The workspace's model price table and AI response cache, for built-in AI nodes. Default: none. */
  readonly ai?: AiCapabilities;
  /** The workspace's payments ledger, for built-in payment nodes. Default: none. */
  readonly payments?: PaymentCapabilities;
  /** The workspace's escalations inbox, for the built-in "Ask a human" node. Default: none. */
  readonly escalations?: EscalationCapabilities;
  /** The workspace's decision log, for built-in guardrail and triage nodes (decision 037). Default: none. */
  readonly decisions?: DecisionCapabilities;
}

/** How a trigger node starts executions. */
export type TriggerKind = 'manual' | 'webhook' | 'schedule' | 'channel';

/**
 * How the executor schedules a node:
 * - `each`: run once per incoming message (default);
 * - `join`: wait for every connected input that can still arrive, then run once with `input` = the array of them (Merge);
 * - `collect`: gather every message of the enclosing loop scope, run once with the array when the loop is done (Collect).
 */
export type InputMode = 'each' | 'join' | 'collect';

export interface NodeDefinition<
  P extends z.ZodType = z.ZodType,
  C extends CredentialSlots = CredentialSlots,
> {
  /** Namespaced type id: `core.http-request`, `acme-weather.forecast`. */
  type: string;
  version: number;
  title: string;
  /** Palette group, e.g. `Core`, `Flow`, `AI`. */
  category: string;
  description: string;
  /** Icon name from the editor's icon set. Default: 'box'. */
  icon?: string;
  /** The single source of truth for this node's configuration. */
  props: P;
  credentials?: C;
  /** Output ports may depend on props (Switch: one per rule). `error` is added when `onError: route`. */
  ports: { in: readonly string[]; out: readonly string[] | ((props: z.infer<P>) => string[]) };
  /**
   * Present on trigger nodes. `channel` triggers say which account's events start them and how
   * they filter, register with the provider and poll (the inbound gateway, `ChannelTrigger`).
   */
  trigger?: { kind: TriggerKind; channel?: ChannelTrigger<z.infer<P>> };
  /**
   * Whether a step has effects outside the execution (HTTP calls, messages, payments). Such a step's
   * result is committed before the next step starts and is never repeated after it succeeded.
   * Pure steps are recorded in batches and simply recomputed after a crash. Default: true.
   */
  sideEffects?: boolean;
  /** Default: 'each'. */
  inputMode?: InputMode;
  /** Props that are never evaluated as expressions (code, cron). Default: none. */
  literalProps?: readonly string[];
  /**
   * How a node written for an earlier version of this type is brought to this one (templates and
   * imported files written against older versions): keyed by the version it upgrades *from*, each
   * returns props for the next version. A document naming a version that is no longer registered
   * and has no path of upgrades to a registered one is refused, naming the node and the versions.
   * Default: none.
   */
  upgrades?: Readonly<Record<number, (props: Readonly<Record<string, unknown>>) => Record<string, unknown>>>;
  run(ctx: NodeContext<C>, input: Json, props: z.infer<P>): NodeResult | Promise<NodeResult>;
}

/** Any node definition, whatever its props type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyNodeDefinition = NodeDefinition<any, CredentialSlots>;

/** Declares a node. Built-ins and plugins use the same contract. */
export function defineNode<P extends z.ZodType, C extends CredentialSlots = Record<never, CredentialSlot>>(
  definition: NodeDefinition<P, C>,
): NodeDefinition<P, C> {
  if (!/^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/.test(definition.type)) {
    throw new Error(`node type "${definition.type}" must look like "namespace.name" (lowercase, digits, dashes)`);
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(`node ${definition.type}: version must be a positive integer`);
  }
  return definition;
}

/** Output ports of a node for the given (parsed) props. */
export function outputPorts(definition: AnyNodeDefinition, props: unknown): string[] {
  const out = definition.ports.out;
  return typeof out === 'function' ? out(props) : [...out];
}
