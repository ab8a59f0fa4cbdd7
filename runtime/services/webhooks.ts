import { createHmac, timingSafeEqual } from 'node:crypto';
import { timeOrderedId } from '../db/ids.js';
import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { CredentialValue, Json, WebhookResponse } from '@switchyard/sdk';
import { assertStorable } from '../db/storable.js';
import { AppError, NotFoundError, TooManyRequestsError, UnauthorizedError } from '../errors.js';
import type { Channels } from '../queue/channels.js';
import type { Launcher } from '../queue/launcher.js';
import type { PlanLoader } from '../queue/plans.js';
import type { InboundRequest, OutboundResponse, WebhookService } from './types.js';

interface Route {
  workspaceId: string;
  flowId: string;
  version: number;
  nodeId: string;
  respond: 'immediately' | 'lastNode' | 'respondNode';
  signatureCredentialId?: string;
  syncTimeoutMs: number;
}

export interface WebhookServiceDeps {
  knex: Knex;
  plans: PlanLoader;
  launcher: Launcher;
  channels: Channels;
  loadCredentials(workspaceId: string, ids: string[]): Promise<Map<string, CredentialValue>>;
  /** This process's reply channel id. */
  instanceId: string;
  log: Logger;
  /** Calls per minute one caller may make to one webhook path. Default: 120 000 (2 000/s). */
  rateLimitPerMinute?: number;
}

/** Headers that authenticate the caller: verified here, never recorded in step data. */
const PRIVATE_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * The webhook receiver (DESIGN §2): routes are cached in memory and reloaded when any process
 * (de)activates a flow; a call is authenticated, written to Postgres as an inbound event, then
 * queued. Sync routes wait for the flow's response on this process's reply channel.
 */
export function createWebhookService(deps: WebhookServiceDeps): WebhookService & { invalidate(): void; forgetSecret(credentialId: string): void; close(): Promise<void> } {
  let routes = new Map<string, Route>();
  let loading: Promise<void> | undefined;
  let stale = true;
  let loadedAt = 0;
  const replies = new Map<string, (response: WebhookResponse) => void>();
  const secretCache = new Map<string, { value: CredentialValue; at: number }>();
  const limiter = fixedWindowLimiter(deps.rateLimitPerMinute ?? 120_000, 60_000);
  const unsubscribers: Promise<() => Promise<void>>[] = [
    deps.channels.subscribe(deps.channels.name('webhooks'), () => { stale = true; }),
    deps.channels.subscribe(deps.channels.name(`reply:${deps.instanceId}`), (message) => {
      const reply = deps.channels.readReply(message);
      if (!reply.stored) {
        replies.get(reply.executionId)?.(reply.response);
        return;
      }
      deps.channels.takeParkedReply(reply.executionId).then((response) => {
        if (response) replies.get(reply.executionId)?.(response);
        else deps.log.warn({ executionId: reply.executionId }, 'a large sync webhook answer was gone before it was read');
      }, (error: unknown) => deps.log.warn({ err: error, executionId: reply.executionId }, 'could not read a large sync webhook answer'));
    }),
  ];

  async function reload(): Promise<void> {
    const rows = await deps.knex('webhooks as w').join('flows as f', 'f.id', 'w.flow_id')
      .where('f.active', true).whereNull('f.deleted_at')
      .select('w.path', 'w.method', 'w.flow_id', 'w.node_id', 'w.flow_version', 'f.workspace_id');
    const next = new Map<string, Route>();
    for (const row of rows) {
      const plan = await deps.plans.get(row.flow_id, row.flow_version);
      const node = plan.nodes.get(row.node_id)?.node;
      if (!node) continue;
      const slot = node.credentials?.signature;
      next.set(`${row.method} ${row.path}`, {
        workspaceId: row.workspace_id, flowId: row.flow_id, version: row.flow_version, nodeId: row.node_id,
        respond: (node.props.respond as Route['respond'] | undefined) ?? 'lastNode',
        signatureCredentialId: slot ? plan.document.credentials[slot]?.id : undefined,
        syncTimeoutMs: plan.document.settings?.syncTimeoutMs ?? 30_000,
      });
    }
    routes = next;
    loadedAt = Date.now();
  }

  async function currentRoutes(): Promise<Map<string, Route>> {
    if (stale) {
      stale = false;
      loading = reload().catch((error) => { stale = true; throw error; });
    }
    await loading;
    return routes;
  }

  async function verifySignature(route: Route, request: InboundRequest): Promise<void> {
    if (!route.signatureCredentialId) return;
    let cached = secretCache.get(route.signatureCredentialId);
    // Decrypting on every call would put the vault on the hot path; keep the secret briefly in memory.
    if (!cached || Date.now() - cached.at > 30_000) {
      const value = (await deps.loadCredentials(route.workspaceId, [route.signatureCredentialId])).get(route.signatureCredentialId);
      if (!value) throw new UnauthorizedError('the webhook signature secret is missing');
      cached = { value, at: Date.now() };
      secretCache.set(route.signatureCredentialId, cached);
    }
    const header = (cached.value.fields.header ?? 'x-signature-256').toLowerCase();
    const prefix = cached.value.fields.prefix ?? 'sha256=';
    const given = request.headers[header] ?? '';
    const expected = prefix + createHmac('sha256', cached.value.fields.secret ?? '').update(request.rawBody).digest('hex');
    const a = Buffer.from(given);
    const b = Buffer.from(expected);
    if (a.length !== b.length || !timingSafeEqual(a, b)) {
      throw new UnauthorizedError(`invalid webhook signature in header "${header}"`);
    }
  }

  return {
    async handle(request): Promise<OutboundResponse> {
      const method = request.method.toUpperCase();
      const path = request.path.replace(/^\/+|\/+$/g, '');
      let table = await currentRoutes();
      let route = table.get(`${method} ${path}`);
      if (!route && Date.now() - loadedAt > 1000) {
        // A flow activated by another process a moment ago may not have reached us yet.
        stale = true;
        table = await currentRoutes();
        route = table.get(`${method} ${path}`);
      }
      if (!route) {
        const other = [...table.keys()].some((k) => k.endsWith(` ${path}`));
        if (other) throw new AppError(405, 'method_not_allowed', `no active flow listens on ${method} /hooks/${path}`);
        throw new NotFoundError('webhook', `/hooks/${path}`);
      }
      const retryAfter = limiter(`${request.clientIp ?? '?'} ${method} ${path}`);
      if (retryAfter > 0) throw new TooManyRequestsError(`too many calls to /hooks/${path}; retry in ${retryAfter} s`, retryAfter);
      await verifySignature(route, request);
      const input: Json = {
        body: parseBody(request),
        query: request.query,
        headers: Object.fromEntries(Object.entries(request.headers).filter(([k, v]) => v !== undefined && !PRIVATE_HEADERS.has(k)) as [string, string][]),
        method,
        path,
      };
      // Refused here, while the caller can still be told: Postgres would fail the commit later.
      assertStorable(input.body, 'body');
      assertStorable(input.query, 'query');
      const providerEventId = request.headers['x-event-id'] ?? request.headers['idempotency-key'];
      const executionId = timeOrderedId();
      const sync = route.respond !== 'immediately';
      let waiting: Promise<WebhookResponse | undefined> | undefined;
      let timer: NodeJS.Timeout | undefined;
      if (sync) {
        // Registered before the job exists, so even an instant reply finds its waiter.
        waiting = new Promise((resolve) => {
          replies.set(executionId, resolve);
          timer = setTimeout(() => resolve(undefined), route.syncTimeoutMs);
        });
      }
      try {
        const launched = await deps.launcher.launch({
          id: executionId, workspaceId: route.workspaceId, flowId: route.flowId, version: route.version,
          triggerNodeId: route.nodeId, mode: 'webhook', input,
          inbound: { source: `webhook:${path}`, providerEventId },
          // Sync callers get nothing before the execution's own commit, so the row can wait for it (decision 007).
          ...(sync ? { replyTo: deps.instanceId, respondMode: route.respond === 'respondNode' ? 'respondNode' : 'lastNode', deferRow: true } : {}),
        });
        if (launched.duplicate) return { status: 200, headers: {}, body: { executionId: launched.executionId, duplicate: true } };
        if (!waiting) return { status: 202, headers: {}, body: { executionId } };
        const response = await waiting;
        if (!response) return { status: 202, headers: {}, body: { executionId, status: 'running' } };
        return { status: response.status, headers: response.headers, body: response.body };
      } finally {
        if (timer) clearTimeout(timer);
        replies.delete(executionId);
      }
    },
    invalidate() {
      stale = true;
    },
    /** A signature credential was edited: the next call reads it again instead of the cached copy. */
    forgetSecret(credentialId) {
      secretCache.delete(credentialId);
    },
    async close() {
      for (const unsubscribe of await Promise.all(unsubscribers)) await unsubscribe();
    },
  };
}

/**
 * A fixed-window counter per key: O(1) per call, which matters on the webhook hot path (a sliding
 * log of timestamps would grow with the allowed rate). Returns seconds to wait, 0 when allowed.
 */
function fixedWindowLimiter(limit: number, windowMs: number): (key: string) => number {
  const windows = new Map<string, { start: number; count: number }>();
  return (key) => {
    const now = Date.now();
    let window = windows.get(key);
    if (!window || now - window.start >= windowMs) {
      if (windows.size > 10_000) windows.clear();
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count++;
    return window.count > limit ? Math.ceil((window.start + windowMs - now) / 1000) : 0;
  };
}

function parseBody(request: InboundRequest): Json {
  if (request.rawBody.length === 0) return null;
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const text = request.rawBody.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw new AppError(400, 'invalid_json', 'the request body is not valid JSON');
    }
  }
  if (type === 'application/x-www-form-urlencoded') return Object.fromEntries(new URLSearchParams(text));
  return text;
}
