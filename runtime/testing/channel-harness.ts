import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { createNodeRegistry } from '../../nodes/index.js';
import type { SwitchyardConfig } from '../config/env.js';
import { createRuntime } from '../index.js';
import type { ChannelAnswer } from '../services/types.js';
import type { Runtime } from '../types.js';
import { testConfig } from './config.js';
import { flow, WS } from './harness.js';
import { sign, testChatKind, testChatNodes, type WireEvent } from './test-channel.js';

export { WS } from './harness.js';

/** A runtime that knows the test chat channel (runtime/testing/test-channel.ts), with a worker; closed after the file. */
export async function startChannelRuntime(overrides: Partial<SwitchyardConfig> = {}, options: { worker?: boolean } = {}): Promise<Runtime> {
  const runtime = await createRuntime(testConfig({ outboundAllow: ['127.0.0.1'], publicUrl: 'https://switchyard.example', ...overrides }), {
    registry: createNodeRegistry(testChatNodes), credentialKinds: { [testChatKind.kind]: testChatKind },
  });
  if (options.worker !== false) await runtime.startWorker();
  afterAll(async () => {
    await runtime.close();
  });
  return runtime;
}

let accounts = 0;

/** A test chat account (credential); returns its id. */
export async function testAccount(runtime: Runtime, fields: Record<string, string> = {}): Promise<string> {
  const created = await runtime.credentials.create(WS, { name: `test account ${++accounts} ${randomUUID().slice(0, 6)}`, kind: 'test-chat', data: { secret: 'test-signing-secret', ...fields } });
  return created.id;
}

export interface DeliverOptions {
  /** Default: the account's default secret. */
  secret?: string;
  /** Sent instead of the right signature; null sends none. */
  signature?: string | null;
  /** The raw body instead of `{ events }`. */
  rawBody?: string;
  method?: string;
  query?: Record<string, string>;
}

/** A signed delivery to the account's callback URL, through the gateway as the HTTP layer calls it. */
export function deliver(runtime: Runtime, credentialId: string, events: WireEvent[], options: DeliverOptions = {}): Promise<ChannelAnswer> {
  const body = options.rawBody ?? JSON.stringify({ events });
  const signature = options.signature === undefined ? sign(options.secret ?? 'test-signing-secret', body) : options.signature;
  const query = options.query ?? {};
  const search = new URLSearchParams(query).toString();
  return runtime.inbound.receive({
    credentialId, method: options.method ?? 'POST', pathAndQuery: `/inbound/${credentialId}${search ? `?${search}` : ''}`,
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { 'x-test-signature': signature }) },
    query, rawBody: Buffer.from(body), deliveryId: randomUUID(),
  });
}

/**
 * Creates and activates a flow: a test chat trigger on the account, then `after` (node specs and
 * edges from `trigger`). Returns the flow id.
 */
export async function channelFlow(
  runtime: Runtime,
  credentialId: string,
  props: Record<string, unknown> = {},
  after: { nodes?: Parameters<typeof flow>[1]; edges?: string[] } = {},
  options: { activate?: boolean; trigger?: string } = {},
): Promise<string> {
  const document = flow(`channel flow ${randomUUID().slice(0, 8)}`, [
    { id: 'trigger', type: options.trigger ?? 'testchat.trigger', props, credentials: { account: 'acct' } },
    ...(after.nodes ?? []),
  ], after.edges ?? [], { credentials: { acct: { kind: 'test-chat', id: credentialId } } });
  const created = await runtime.flows.create(WS, document);
  if (options.activate !== false) await runtime.flows.activate(WS, created.id);
  return created.id;
}

/** Polls `check` until it returns a value that is not undefined/false, or fails after `timeoutMs`. */
export async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 15_000, what = 'the condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Resolves once none of the account's events is pending (every one dispatched or ignored). */
export function dispatched(runtime: Runtime, credentialId: string, timeoutMs = 15_000): Promise<true> {
  return until(async () => {
    const [row] = await runtime.knex('channel_events').where({ credential_id: credentialId, status: 'pending' }).count<{ n: string }[]>({ n: '*' });
    return Number(row?.n) === 0;
  }, timeoutMs, 'the events to be dispatched');
}
