import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import { LoopRequest, WaitRequest, type AnyNodeDefinition, type CredentialValue, type HttpClient, type HttpResponse, type Json, type NodeContext, type PortOutputs } from '@switchyard/sdk';
import type { PackedPlugin } from '@switchyard/sdk/manifest';
import { packPlugin } from '@switchyard/sdk/pack';
import { createPluginNode } from '../../../runtime/plugins/proxy.js';
import { createSandboxPool, type SandboxPool } from '../../../runtime/sandbox/pool.js';

/**
 * `@switchyard/plugin-testing`, the plugin test harness: `runNode` packs the plugin the node belongs
 * to (in memory, once per test process) and runs the node in the real sandbox, exactly as a worker
 * would — same bundle, same isolate hardening, same permission checks — with HTTP answered by a fake
 * you pass in. It is the runtime's sandbox and plugin proxy, so a Switchyard installation builds it
 * (`switchyard plugin new`, decision 028) and plugins depend on that build; the SDK itself carries
 * none of the runtime.
 */

/** A request the node made, as the fake sees it. */
export interface FakeRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  /** The body as text (empty when none). */
  body: string;
}

/** What the fake answers. `body` objects are sent as JSON. Defaults: status 200, no headers, empty body. */
export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Json;
}

export interface RunNodeOptions {
  /** Props as a flow would hold them (already resolved; no `{{ }}`); schema defaults apply. Default: {}. */
  props?: unknown;
  /** The incoming message. Default: {}. */
  input?: Json;
  /** Credentials by slot name. Default: none. */
  credentials?: Record<string, CredentialValue>;
  /** Answers the node's HTTP requests (after the declared-hosts check). Default: every request fails. */
  http?: (request: FakeRequest) => FakeResponse | Promise<FakeResponse>;
  /** The plugin's folder (with its package.json). Default: found from the calling test file upwards. */
  plugin?: string;
  /** CPU limit of the call. Default: 1000 ms. */
  timeoutMs?: number;
}

export interface RunNodeResult {
  /** Messages by output port. */
  outputs: PortOutputs;
  /** What the node logged with `ctx.log` and `console`. */
  logs: string[];
  /** Every request that reached the fake, in order. */
  requests: FakeRequest[];
}

let pool: SandboxPool | undefined;
const packs = new Map<string, Promise<PackedPlugin>>();

/** The nearest folder at or above `start` whose package.json has a `switchyard` section. */
function pluginDirFrom(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file) && 'switchyard' in (JSON.parse(readFileSync(file, 'utf8')) as object)) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** The test file that called runNode: the first stack frame outside this file. */
function callerDir(): string {
  const here = fileURLToPath(import.meta.url);
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const match = /(file:\/\/[^\s)]+|\/[^\s():]+):\d+:\d+/.exec(line);
    const file = match?.[1]?.startsWith('file://') ? fileURLToPath(match[1]) : match?.[1];
    if (file && file !== here && !file.includes('/node_modules/')) return dirname(file);
  }
  return process.cwd();
}

function fakeClient(handler: RunNodeOptions['http'], requests: FakeRequest[]): HttpClient {
  return {
    async request(request) {
      if (!handler) throw new Error(`no fake HTTP handler: pass runNode(node, { http }) to answer ${request.method ?? 'GET'} ${request.url}`);
      const body = request.body === undefined ? '' : typeof request.body === 'string' ? request.body : new TextDecoder().decode(request.body);
      const seen: FakeRequest = { url: request.url, method: (request.method ?? 'GET').toUpperCase(), headers: { ...request.headers }, body };
      requests.push(seen);
      const answer = await handler(seen);
      const text = answer.body === undefined ? '' : typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
      const bytes = new TextEncoder().encode(text);
      const response: HttpResponse = {
        status: answer.status ?? 200, headers: answer.headers ?? {}, url: request.url, body: bytes,
        text: () => text, json: () => JSON.parse(text) as Json,
      };
      return response;
    },
  };
}

/** Runs `node` in the real sandbox; throws the step error a flow would record. */
export async function runNode(node: AnyNodeDefinition, options: RunNodeOptions = {}): Promise<RunNodeResult> {
  const dir = resolve(options.plugin ?? pluginDirFrom(callerDir()) ?? process.cwd());
  let packing = packs.get(dir);
  if (!packing) {
    packing = packPlugin(dir);
    packs.set(dir, packing);
  }
  const packed = await packing;
  const declared = packed.manifest.nodes.find((n) => n.type === node.type && n.version === node.version);
  if (!declared) throw new Error(`${node.type}@${node.version} is not among the nodes the plugin in ${dir} exports`);
  pool ??= createSandboxPool({ timeoutMs: options.timeoutMs ?? 1000 });
  const proxy = createPluginNode({ ...packed, approved: packed.manifest.permissions }, declared, { pool: () => pool ?? createSandboxPool(), cpuMs: options.timeoutMs ?? 1000 });
  const parsed = (node.props as z.ZodType).safeParse(options.props ?? {});
  if (!parsed.success) throw new Error(`invalid props: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(props)'}: ${i.message}`).join('; ')}`);
  const logs: string[] = [];
  const requests: FakeRequest[] = [];
  const line = (message: string) => { logs.push(message); };
  const ctx: NodeContext = {
    executionId: 'test-execution', flowId: 'test-flow', workspaceId: 'test', nodeId: 'node', attempt: 1, idempotencyKey: 'test-execution:node',
    credentials: options.credentials ?? {},
    http: fakeClient(options.http, requests),
    log: { debug: line, info: line, warn: line, error: line },
    signal: new AbortController().signal,
    wait: () => { throw new Error('ctx.wait is not available to plugin nodes'); },
    loop: () => { throw new Error('ctx.loop is not available to plugin nodes'); },
  };
  const outputs = await proxy.run(ctx, options.input ?? {}, parsed.data);
  // The proxy never returns these (plugins cannot wait or loop); the check narrows the type.
  if (outputs instanceof WaitRequest || outputs instanceof LoopRequest) throw new Error('plugin nodes cannot wait or loop');
  return { outputs, logs, requests };
}
