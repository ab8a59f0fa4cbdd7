import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { DestinationStream } from 'pino';
import { createLogger } from './observability/logger.js';
import type { Redis } from 'ioredis';
import { credentialKinds as builtinKinds } from '../nodes/credentials/index.js';
import type { CredentialKindDefinition } from '@switchyard/sdk';
import { nodeRegistry, type NodeRegistry } from '../nodes/index.js';
import { buildCredentialKindCatalog, buildNodeCatalog } from './catalog.js';
import type { SwitchyardConfig } from './config/env.js';
import { openDatabase } from './db/knex.js';
import { createHttpClient } from './net/index.js';
import { createMetrics } from './observability/metrics.js';
import { Channels } from './queue/channels.js';
import { ExecutionLocks, FlowConcurrency } from './queue/concurrency.js';
import { EXECUTION_QUEUE } from './queue/jobs.js';
import { Launcher } from './queue/launcher.js';
import { PlanLoader } from './queue/plans.js';
import { StepEventBatcher } from './queue/step-events.js';
import { ExecutionWorker } from './queue/worker.js';
import { createRedisConnection, startLocalRedis, type LocalRedis } from './redis/index.js';
import { createSandboxPool, type SandboxPool } from './sandbox/pool.js';
import { setupPlugins } from './plugins/index.js';
import { createAuthService, ensureOwnerFromEnv } from './services/auth.js';
import { createExecutionService, pickTrigger } from './services/executions.js';
import { createFlowService } from './services/flows.js';
import { createVariableService } from './services/variables.js';
import { createWebhookService } from './services/webhooks.js';
import { createResumeTokens } from './services/resume-tokens.js';
import type { Runtime } from './types.js';
import { withTimeout } from './errors.js';
import { CredentialChanges } from './vault/changes.js';
import { NodeCredentialCache } from './vault/node-credentials.js';
import { createInboundGateway, callbackUrl } from './gateway/index.js';
import { PaymentLedger } from './payments/ledger.js';
import { resolvePaymentWaits } from './payments/waits.js';
import { refundPayment } from './payments/refund.js';
import { createChannelCapabilities } from './conversations/capabilities.js';
import { ConversationFeed } from './conversations/live.js';
import { SharedRateLimiter } from './conversations/rate-limit.js';
import { createShortLivedStore } from './conversations/short-lived.js';
import { createConversationService } from './conversations/service.js';
import { createCredentialService, loadEncryptionKey } from './vault/index.js';
import { createKnowledgeService, KnowledgeQueue, KnowledgeWorker, LocalEmbedder, VectorIndex } from './knowledge/index.js';
import { providerEmbedders } from './knowledge/provider-embedder.js';
import { createAiCache, createAiPriceService, createAiUsageService } from './ai/index.js';
import { createTemplateService, loadTemplates, SHIPPED_TEMPLATES_DIR } from './templates/index.js';
import { createEscalations, decisionLogEntry } from './escalations/index.js';
import { createDecisionLog } from './decisions/index.js';

export type { Runtime } from './types.js';
export type * from './services/types.js';
export type * from './knowledge/types.js';
export { createKnowledgeBaseInput, updateKnowledgeBaseInput, addSourceInput, searchQuery } from './knowledge/types.js';
export type { AiPriceService, ModelPriceRow, ExecutionAiUsage } from './ai/index.js';
export type { LedgerFilter, LedgerHistoryEntry, LedgerPayment } from './payments/ledger.js';
export { refundInput, type PaymentService } from './payments/refund.js';
export { priceTableInput, aiUsageQuery } from './ai/index.js';
export type { AiUsageFigures, AiUsageQuery, AiUsageReport, AiUsageService } from './ai/index.js';
export { templateListQuery, templateImportInput, teamTemplateInput, templateExportInput, type TemplateService } from './templates/index.js';
export type { TemplateSummary, TemplateDetail, TemplateImportResult, TemplateFile, TemplateMeta, NodeUpgrade } from './templates/index.js';
export { escalationListQuery, escalationDecisionInput, type EscalationService } from './escalations/index.js';
export type { EscalationDetail, EscalationPage, EscalationSummary, EscalationConversationMessage, EscalationNotificationRecord } from './escalations/index.js';
export { decisionListQuery, decisionSummaryQuery, recordDecision, type DecisionService, type DecisionLog } from './decisions/index.js';
export type { DecisionEntry, DecisionInput, DecisionKind, DecisionPage, DecisionSummary } from './decisions/index.js';
export { loadConfig, type SwitchyardConfig } from './config/env.js';
export { AppError, ValidationError, NotFoundError, type Problem } from './errors.js';
export { findUnstorable, formatPath, isUnstorableValueError, type UnstorableValue } from './db/storable.js';

/** How long `/healthz` waits for each store. */
const HEALTH_TIMEOUT_MS = 2_000;

export interface CreateRuntimeOptions {
  /** Extra node definitions (plugins); merged over the built-ins. Default: none. */
  registry?: NodeRegistry;
  /** Extra credential kinds by kind name (tests, embedders); merged over the built-ins. Default: none. */
  credentialKinds?: Record<string, CredentialKindDefinition>;
  /** Where log lines go. Default: stdout. */
  logDestination?: DestinationStream;
  /** Folder of the shipped templates (one folder per template). Default: `templates/` of the checkout. */
  templatesDir?: string;
}

/**
 * Builds the runtime: database (Postgres or embedded PGlite), Redis (or a supervised local
 * redis-server), the queue and every service. Workers start separately with `startWorker()`.
 */
export async function createRuntime(config: SwitchyardConfig, options: CreateRuntimeOptions = {}): Promise<Runtime> {
  const log = createLogger(config, undefined, options.logDestination);
  let localRedis: LocalRedis | undefined;
  let redisUrl = config.redisUrl;
  if (!redisUrl) {
    localRedis = await startLocalRedis({ dataDir: config.dataDir });
    redisUrl = localRedis.url;
  }
  const db = await openDatabase(config);
  const { knex } = db;
  const key = loadEncryptionKey(config);
  const registry: NodeRegistry = { ...nodeRegistry, ...options.registry };
  const credentialKinds: Record<string, CredentialKindDefinition> = { ...builtinKinds, ...options.credentialKinds };
  const connection: Redis = createRedisConnection(redisUrl);
  const subscriber: Redis = createRedisConnection(redisUrl);
  const prefix = config.redisPrefix;
  const queue = new Queue(EXECUTION_QUEUE, {
    connection,
    prefix,
    defaultJobOptions: {
      // Postgres is the record: finished jobs would only pile up in Redis.
      removeOnComplete: true,
      removeOnFail: true,
      // Infrastructure failures (database or Redis hiccups) retry; the executor replays safely.
      attempts: 5,
      backoff: { type: 'exponential', delay: 1000 },
    },
  });
  const channels = new Channels(connection, subscriber, prefix);
  // Open inboxes follow what this process records (gateway dispatch, send steps, inbox replies) over Redis.
  const conversationFeed = new ConversationFeed({ channels, log });
  const launcher = new Launcher(knex, queue, log);
  const plans = new PlanLoader(knex, () => registry);
  // Connection tests call user-typed URLs: the same guarded client (and allow list) as the nodes.
  const credentialHttp = createHttpClient({ allow: config.outboundAllow });
  const credentialChanges = new CredentialChanges(channels);
  await credentialChanges.start();
  const credentials = createCredentialService(knex, key, credentialKinds, {
    http: credentialHttp,
    onFieldsChanged: (_workspaceId, id) => credentialChanges.publish(id),
  });
  const variables = createVariableService(knex);
  // AI steps' model price table (decision 032), read by workers through ctx.ai.
  const aiPrices = createAiPriceService(knex);
  // The decision log (decision 037): guardrail and triage steps record through ctx.decisions, escalations through recordDecision.
  const decisions = createDecisionLog({ knex, log });
  // The payments ledger (decision 034): fed by payment steps (ctx.payments) and by verified payment webhooks.
  const paymentLedger = new PaymentLedger(knex);
  // The inbound gateway (decision 029): channel accounts' callback URLs, their events, channel triggers.
  const gateway = await createInboundGateway({
    knex, redis: connection, queue, channels, launcher, plans, registry: () => registry, kinds: () => credentialKinds,
    loadCredentials: (workspaceId, ids, db) => credentials.loadCredentials(workspaceId, ids, db),
    encryptionKey: key, publicUrl: config.publicUrl, http: credentialHttp, log, feed: conversationFeed,
    observe: async (batch) => {
      await paymentLedger.recordEvents(batch);
      // After the ledger, so a resumed wait-for-payment reads the status the event set.
      for (const executionId of await resolvePaymentWaits(knex, batch)) await launcher.continueExecution(executionId);
    },
  });
  credentialChanges.onChange((id) => gateway.forgetAccount(id));
  const limiter = new SharedRateLimiter(connection, prefix);
  const conversations = createConversationService({ knex, accounts: gateway.accounts, lifecycle: gateway.lifecycle, limiter, feed: conversationFeed });
  // Knowledge bases (decision 033): ingestion on its own queue; the local model in its own process, started on first use.
  const knowledgeQueue = new KnowledgeQueue(connection, prefix);
  const knowledgeIndex = new VectorIndex(knex);
  const localEmbedder = new LocalEmbedder();
  const embedders = providerEmbedders((workspaceId, ids) => credentials.loadCredentials(workspaceId, ids), credentialHttp);
  const knowledgeDeps = { knex, index: knowledgeIndex, local: localEmbedder, provider: embedders.factory, http: credentialHttp, log };
  const knowledge = createKnowledgeService({ ...knowledgeDeps, queue: knowledgeQueue, checkCredential: embedders.check });
  let knowledgeWorker: KnowledgeWorker | undefined;
  // Steps' credentials stay decrypted briefly across executions (an edit or delete drops them at once).
  const nodeCredentials = new NodeCredentialCache({ load: (workspaceId, ids) => credentials.loadCredentials(workspaceId, ids), version: () => credentialChanges.version });
  credentialChanges.onChange((id) => nodeCredentials.forget(id));
  /** Credentials as nodes get them: with the account's id, and its callback URL for kinds that take deliveries. */
  const credentialsForNodes = async (workspaceId: string, ids: string[]) => {
    const loaded = await nodeCredentials.load(workspaceId, ids);
    for (const [id, value] of loaded) {
      value.id = id;
      if (credentialKinds[value.kind]?.inbound) value.callbackUrl = callbackUrl(config.publicUrl, id);
    }
    return loaded;
  };
  const flows = createFlowService({
    knex, registry: () => registry, queue, channelTriggers: gateway.lifecycle,
    webhooksChanged: async () => {
      // This process sees the change at once; others when the message arrives.
      webhooks.invalidate();
      gateway.invalidate();
      await channels.publish(channels.name('webhooks'), 'changed');
    },
  });
  const resumeTokens = createResumeTokens(key);
  // Escalations (decision 036): a person's decision resolves the asking step's wait and queues its execution again.
  const escalations = createEscalations({
    knex, encryptionKey: key, publicUrl: config.publicUrl,
    resume: (executionId) => launcher.continueExecution(executionId),
    // After the decision is committed: a lost log row is logged, never a failed decision.
    decided: (decided) => decisions.recordDecision(decisionLogEntry(decided)).catch((error: unknown) => {
      log.warn({ err: error, escalationId: decided.escalation.id }, 'escalation decision not recorded in the decision log');
    }),
  });
  const executions = createExecutionService({ knex, registry: () => registry, flows, launcher, channels, resumeTokens });
  const webhooks = createWebhookService({
    knex, plans, launcher, channels, instanceId: randomUUID(), rateLimitPerMinute: config.webhookRateLimitPerMinute, log,
    loadCredentials: (workspaceId, ids) => credentials.loadCredentials(workspaceId, ids),
  });
  credentialChanges.onChange((id) => webhooks.forgetSecret(id));
  // `let`: rebuilt when plugins change (setupPlugins' onChange), which may fire during its setup.
  let catalog = buildNodeCatalog(registry);
  // Plugins (issue 4): approved plugin nodes are added to `registry` in place (every reader sees
  // them) and the catalog is rebuilt whenever they change, here or in another process.
  const plugins = await setupPlugins({
    knex, registry, builtins: nodeRegistry, flows, channels, prefix, log,
    sandbox: { hosts: config.sandboxHosts, timeoutMs: config.sandboxTimeoutMs, memoryMb: config.sandboxMemoryMb },
    onChange: () => { catalog = buildNodeCatalog(registry); },
  });
  const auth = createAuthService(knex);
  await ensureOwnerFromEnv(auth, config);
  let sandbox: SandboxPool | undefined;
  const metrics = createMetrics({
    queueCounts: () => queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed'),
    sandboxRestarts: () => sandbox?.restarts ?? 0,
  });
  const workers: ExecutionWorker[] = [];
  const kindCatalog = buildCredentialKindCatalog(credentialKinds);
  // The gallery (decision 038): shipped templates are checked once here; a refused one is logged, not fatal.
  const shippedTemplates = await loadTemplates(options.templatesDir ?? SHIPPED_TEMPLATES_DIR, registry);
  for (const refused of shippedTemplates.refused) log.warn(refused, 'template refused');
  const templates = createTemplateService({
    knex, registry: () => registry, flows, credentials, shipped: shippedTemplates.templates, refused: shippedTemplates.refused,
    kindTitle: (kind) => kindCatalog.find((k) => k.kind === kind)?.title ?? kind,
  });

  const runtime: Runtime = {
    config, log, flows, executions, credentials, auth, variables, webhooks, knex, plugins: plugins.service,
    inbound: gateway, conversations, knowledge, aiPrices, aiUsage: createAiUsageService(knex), escalations: escalations.service, templates, decisions: decisions.service,
    payments: {
      list: (workspaceId, filter) => paymentLedger.list(workspaceId, filter),
      get: (workspaceId, id) => paymentLedger.get(workspaceId, id),
      refund: (workspaceId, id, input) => refundPayment({
        ledger: paymentLedger, http: credentialHttp, loadCredentials: (w, ids) => credentials.loadCredentials(w, ids),
      }, workspaceId, id, input),
    },
    metrics: metrics.registry,
    nodeCatalog: () => catalog,
    credentialKinds: () => kindCatalog,

    async health() {
      const checks: Record<string, { ok: boolean; error?: string }> = {};
      // Bounded: a store that hangs (rather than refuses) must still give a quick 503.
      await Promise.all([
        withTimeout(knex.raw('select 1'), HEALTH_TIMEOUT_MS, 'postgres').then(() => { checks.postgres = { ok: true }; }, (e: Error) => { checks.postgres = { ok: false, error: e.message }; }),
        withTimeout(connection.ping(), HEALTH_TIMEOUT_MS, 'redis').then(() => { checks.redis = { ok: true }; }, (e: Error) => { checks.redis = { ok: false, error: e.message }; }),
      ]);
      return { ok: Object.values(checks).every((c) => c.ok), checks };
    },

    async startWorker(workerOptions = {}) {
      sandbox ??= createSandboxPool({
        hosts: config.sandboxHosts, timeoutMs: config.sandboxTimeoutMs, memoryMb: config.sandboxMemoryMb,
        onRestart: (reason) => log.warn({ reason }, 'sandbox host replaced'),
      });
      const stepEvents = new StepEventBatcher({ channels, log });
      const worker = new ExecutionWorker({
        connection, prefix, knex, plans, launcher, channels, log, stepEvents,
        concurrency: new FlowConcurrency(connection, prefix),
        executionLocks: new ExecutionLocks(connection, prefix, config.lockDurationMs),
        workerConcurrency: workerOptions.concurrency ?? config.workerConcurrency,
        pollTrigger: (data, repeatJobKey) => gateway.poll(data, repeatJobKey),
        lockDurationMs: config.lockDurationMs,
        executionsMaxAgeDays: config.executionsMaxAgeDays,
        deps: {
          knex, registry, sandbox, log, metrics,
          http: createHttpClient({ allow: config.outboundAllow }),
          loadCredentials: credentialsForNodes,
          credentialChoiceFields: (kind) => credentials.choiceFields(kind),
          credentialsVersion: () => credentialChanges.version,
          variables: (workspaceId) => variables.snapshot(workspaceId),
          sandboxTimeoutMs: config.sandboxTimeoutMs,
          maxSteps: config.executionMaxSteps,
          resumeUrl: (executionId) => `${config.publicUrl}/hooks/resume/${resumeTokens.forExecution(executionId)}`,
          startSubflow: async (request) => {
            const flow = await flows.get(request.workspaceId, request.flowId);
            const launched = await launcher.launch({
              id: request.childId, workspaceId: request.workspaceId, flowId: flow.id, version: flow.activeVersion ?? flow.version,
              triggerNodeId: pickTrigger(flow.document, registry), mode: 'subflow', input: request.input,
              parent: { executionId: request.parentExecutionId, stepKey: request.parentStepKey },
            });
            return launched.executionId;
          },
          publishEvent: (event) => stepEvents.push(event),
          knowledge: (workspaceId) => ({
            search: async (knowledgeBase, query, searchOptions) => (await knowledge.search(workspaceId, knowledgeBase, query, searchOptions)).hits,
            // The same model process as ingestion (no second copy of the model): guardrails' topic and few-shot checks.
            embedLocally: async (texts) => (await localEmbedder.embed(texts)).map((vector) => Array.from(vector)),
          }),
          ai: (workspaceId) => ({ prices: () => aiPrices.snapshot(workspaceId), cache: createAiCache(connection, prefix, workspaceId) }),
          payments: (scope) => ({
            record: async (object) => {
              await paymentLedger.record(scope.workspaceId, object, { source: 'step', flowId: scope.flowId, executionId: scope.executionId, stepKey: scope.stepKey });
            },
          }),
          escalations: (scope) => escalations.capabilities(scope),
          decisions: (scope) => decisions.capabilities(scope),
          channels: (scope) => createChannelCapabilities({ knex, limiter, feed: conversationFeed, shortLived: (workspaceId) => createShortLivedStore(connection, prefix, workspaceId) }, scope),
          conversationsChanged: (workspaceId, threads) => {
            for (const thread of threads) conversationFeed.changed(workspaceId, thread, 'message');
          },
          respond: (replyTo, executionId, response) =>
            channels.publish(channels.name(`reply:${replyTo}`), channels.encodeReply(executionId, response)),
        },
      });
      await worker.start();
      workers.push(worker);
      if (!knowledgeWorker) {
        knowledgeWorker = new KnowledgeWorker({ ...knowledgeDeps, maxFileBytes: knowledge.maxFileBytes, connection, prefix, queue: knowledgeQueue });
        await knowledgeWorker.start();
      }
      // Channel events whose web process died between the 2xx and the dispatch (decision 029).
      const stopSweep = gateway.startSweep();
      // Redis may have lost its schedulers (no AOF, a flush) or kept stale ones: Postgres says which run.
      const reconciled = await flows.reconcileSchedules();
      if (reconciled.added + reconciled.removed > 0) log.info(reconciled, 'schedules reconciled with Postgres');
      return {
        close: async () => {
          stopSweep();
          await worker.close();
          workers.splice(workers.indexOf(worker), 1);
        },
      };
    },

    async close() {
      for (const worker of [...workers]) await worker.close();
      await knowledgeWorker?.close();
      await knowledgeQueue.close();
      await localEmbedder.close();
      await webhooks.close();
      await gateway.close();
      conversationFeed.close();
      await credentialChanges.close();
      credentialHttp.close();
      await plugins.close();
      await sandbox?.close();
      await queue.close();
      subscriber.disconnect();
      connection.disconnect();
      await db.close();
      await localRedis?.stop();
    },
  };
  return runtime;
}
