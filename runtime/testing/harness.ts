import http from 'node:http';
import { afterAll } from 'vitest';
import type { FlowDocumentInput } from '../flow/document.js';
import { createRuntime } from '../index.js';
import type { Runtime } from '../types.js';
import type { SwitchyardConfig } from '../config/env.js';
import { testConfig } from './config.js';

export const WS = 'default';

/** A runtime on the shared test Postgres/Redis (own schema and prefix) with a worker, closed after the file. */
export async function startTestRuntime(overrides: Partial<SwitchyardConfig> = {}, options: { worker?: boolean } = {}): Promise<Runtime> {
  const runtime = await createRuntime(testConfig({ outboundAllow: ['127.0.0.1'], ...overrides }));
  if (options.worker !== false) await runtime.startWorker();
  afterAll(async () => {
    await runtime.close();
  });
  return runtime;
}

/** A local HTTP server standing in for the outside world; counts hits per path. */
export async function startLocalServer(
  handler: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void | Promise<void>,
): Promise<{ url: string; hits: Map<string, number>; close(): Promise<void> }> {
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0]!;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      void Promise.resolve(handler(req, Buffer.concat(chunks).toString('utf8'), res)).catch(() => res.destroy());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  afterAll(() => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }));
  return { url: `http://127.0.0.1:${port}`, hits, close: () => new Promise((r) => server.close(() => r())) };
}

type NodeSpec = { id: string; type: string; props?: Record<string, unknown>; settings?: Record<string, unknown>; credentials?: Record<string, string>; label?: string };

/** A flow document from a terse node list and `a->b` / `a:port->b` edges. */
export function flow(name: string, nodes: NodeSpec[], edges: string[], extra: Partial<FlowDocumentInput> = {}): FlowDocumentInput {
  return {
    format: 'switchyard/flow@1',
    name,
    nodes: nodes.map((n, i) => ({ typeVersion: 1, position: { x: i * 200, y: 0 }, props: {}, ...n })),
    edges: edges.map((spec, i) => {
      const [from, to] = spec.split('->') as [string, string];
      const [source, sourceHandle = 'main'] = from.split(':') as [string, string?];
      const [target, targetHandle = 'main'] = to.split(':') as [string, string?];
      return { id: `e${i}`, source, sourceHandle, target, targetHandle };
    }),
    ...extra,
  } as FlowDocumentInput;
}

/** Posts to a webhook through the service, the way the HTTP layer does. */
export function callHook(runtime: Runtime, path: string, body: unknown, headers: Record<string, string> = {}, method = 'POST') {
  const raw = Buffer.from(JSON.stringify(body));
  return runtime.webhooks.handle({ method, path, headers: { 'content-type': 'application/json', ...headers }, query: {}, rawBody: raw });
}

export async function runAndWait(runtime: Runtime, flowId: string, input: unknown = {}, timeoutMs = 15_000) {
  const { executionId } = await runtime.executions.run(WS, flowId, input as never);
  return runtime.executions.waitFor(WS, executionId, timeoutMs);
}
