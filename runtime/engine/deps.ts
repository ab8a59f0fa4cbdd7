import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { AiCapabilities, DecisionCapabilities, EscalationCapabilities, PaymentCapabilities, ChannelCapabilities, CredentialValue, OutboundMessageRecord, KnowledgeCapabilities, HttpClient, Json, WebhookResponse } from '@switchyard/sdk';
import type { NodeRegistry } from '../../nodes/index.js';
import type { ExecutionEvent } from '../services/types.js';
import type { SandboxPool } from '../sandbox/pool.js';
import type { EngineMetrics } from '../observability/metrics.js';

/** A sub-flow the executor asks the queue layer to start (idempotent by `childId`). */
export interface SubflowRequest {
  childId: string;
  workspaceId: string;
  flowId: string;
  input: Json;
  parentExecutionId: string;
  parentStepKey: string;
}

/** Everything the executor needs from the rest of the runtime, injected so the queue layer owns I/O wiring. */
export interface ExecutorDeps {
  knex: Knex;
  registry: NodeRegistry;
  sandbox: SandboxPool;
  /** The SSRF-guarded client shared by all steps; each request carries the step's signal. */
  http: HttpClient;
  loadCredentials(workspaceId: string, ids: string[]): Promise<Map<string, CredentialValue>>;
  /**
   * A credential kind's fields whose values come from a fixed public set (presets, environments),
   * which the run's redactor does not learn. Default (absent): every field is learned.
   */
  credentialChoiceFields?(kind: string): ReadonlySet<string>;
  /** Counts credential edits this process has learnt of; credentials loaded at an older count are loaded again. */
  credentialsVersion(): number;
  /** Workspace variables for `$vars` (cached by the caller). */
  variables(workspaceId: string): Promise<Record<string, string>>;
  startSubflow(request: SubflowRequest): Promise<string>;
  /** Sends a sync webhook's response to the waiting web process. */
  respond(replyTo: string, executionId: string, response: WebhookResponse): Promise<void>;
  /** Live step events for watched (manual) runs; fire-and-forget, batched by the queue layer. */
  publishEvent(event: Extract<ExecutionEvent, { type: 'step' }>): void;
  log: Logger;
  metrics: EngineMetrics;
  /** Code step CPU limit. Default: config.sandboxTimeoutMs. */
  sandboxTimeoutMs: number;
  /** Steps one execution may run (0: no limit). Default: config.executionMaxSteps. */
  maxSteps: number;
  /** The execution's own resume URL (`$execution.resumeUrl`). */
  resumeUrl(executionId: string): string;
  /** `ctx.channels` for one step (conversations, send-and-wait, shared rate limits). Default: none. */
  channels?(scope: {
    workspaceId: string; executionId: string; stepKey: string; mode: string; triggerInput: Json;
    deferOutbound(message: OutboundMessageRecord): boolean;
  }): ChannelCapabilities;
  /** Tells open inboxes that outbound records committed with steps changed these threads. Default: nobody is told. */
  conversationsChanged?(workspaceId: string, threadIds: string[]): void;
  /** `ctx.knowledge` for one step: the workspace's knowledge bases. Default: none. */
  knowledge?(workspaceId: string): KnowledgeCapabilities;
  /** `ctx.ai` for one step: the workspace's model prices and AI response cache. Default: none. */
  ai?(workspaceId: string): AiCapabilities;
  /** `ctx.payments` for one step: the workspace's payments ledger. Default: none. */
  payments?(scope: { workspaceId: string; flowId: string; executionId: string; stepKey: string }): PaymentCapabilities;
  /** `ctx.escalations` for one step: the workspace's escalations inbox. Default: none. */
  escalations?(scope: { workspaceId: string; flowId: string; executionId: string; stepKey: string; nodeId: string }): EscalationCapabilities;
  /** `ctx.decisions` for one step: the workspace's decision log, this step filled in. Default: none. */
  decisions?(scope: { workspaceId: string; flowId: string; executionId: string; stepKey: string; nodeType: string }): DecisionCapabilities;
}
