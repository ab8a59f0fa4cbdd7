import type { Knex } from 'knex';
import type { Registry as MetricsRegistry } from 'prom-client';
import type { Logger } from 'pino';
import type { SwitchyardConfig } from './config/env.js';
import type {
  AuthService, ConversationService, CredentialKindEntry, CredentialService, ExecutionService, FlowService,
  InboundService, NodeCatalogEntry, PluginService, VariableService, WebhookService,
} from './services/types.js';
import type { KnowledgeService } from './knowledge/types.js';
import type { AiPriceService } from './ai/prices.js';
import type { AiUsageService } from './ai/usage-report.js';
import type { PaymentService } from './payments/refund.js';
import type { TemplateService } from './templates/service.js';
import type { EscalationService } from './escalations/index.js';
import type { DecisionService } from './decisions/index.js';

/** Everything `app/` may use, built by `createRuntime()` in `runtime/index.ts`. */
export interface Runtime {
  readonly config: SwitchyardConfig;
  readonly log: Logger;
  readonly flows: FlowService;
  readonly executions: ExecutionService;
  readonly credentials: CredentialService;
  readonly auth: AuthService;
  readonly variables: VariableService;
  readonly webhooks: WebhookService;
  /** The inbound gateway: channel accounts' deliveries (`/inbound/:credentialId`), test listeners. */
  readonly inbound: InboundService;
  /** The conversation inbox. */
  readonly conversations: ConversationService;
  /** Knowledge bases: sources, ingestion, hybrid search (decision 033). */
  readonly knowledge: KnowledgeService;
  /** AI steps' per-model price table (decision 032). */
  readonly aiPrices: AiPriceService;
  /** Tokens and cost of AI steps per day, flow and provider/model (the Usage page, `GET /api/usage`). */
  readonly aiUsage: AiUsageService;
  /** The payments ledger: payment objects per workspace with their status history (decision 034). */
  readonly payments: PaymentService;
  /** The escalations inbox: what "Ask a human" steps asked, and people's decisions (decision 036). */
  readonly escalations: EscalationService;
  /** The decision log: every guardrail, triage and escalation decision, PII redacted (decision 037). */
  readonly decisions: DecisionService;
  /** The template gallery: shipped and team templates, import with credential mapping, export (decision 038). */
  readonly templates: TemplateService;
  /** Installed plugins: install, approve, uninstall, upgrade a flow's plugin nodes. */
  readonly plugins: PluginService;
  /** `GET /api/nodes`. */
  nodeCatalog(): NodeCatalogEntry[];
  /** `GET /api/credential-kinds`. */
  credentialKinds(): CredentialKindEntry[];
  /** Postgres and Redis reachable. */
  health(): Promise<{ ok: boolean; checks: Record<string, { ok: boolean; error?: string }> }>;
  /** prom-client registry for `/metrics`. */
  readonly metrics: MetricsRegistry;
  /** Escape hatch for the CLI's `migrate` and for tests; the web layer does not use it. */
  readonly knex: Knex;
  /** Starts a BullMQ worker in this process (the `start` and `worker` commands). */
  startWorker(options?: { concurrency?: number }): Promise<{ close(): Promise<void> }>;
  /** Closes workers, queues, sandbox hosts, Redis and the database (and the supervised redis-server). */
  close(): Promise<void>;
}
