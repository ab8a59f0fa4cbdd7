import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { serveTestApi, type Body, type TestApi } from './test-api.server.js';

/** End to end through HTTP with a real worker: the API as a client (with an API key) sees it. */
let runtime: Runtime;
let http: TestApi;
let base: string;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  // Building the 33 MB answer below takes the Code node over its default 1 s limit on a busy machine
  // (the step failed and the webhook answered 500); no test here is about that limit.
  runtime = await createRuntime(testConfig({ sandboxTimeoutMs: 30_000 }));
  const worker = await runtime.startWorker({ concurrency: 4 });
  http = await serveTestApi(runtime, 'e2e');
  base = http.base;
  stopWorker = () => worker.close();
});

afterAll(async () => {
  await stopWorker?.();
  await runtime?.close();
});

const api = (method: string, path: string, body?: unknown) => http.api(method, path, body);

const webhookFlow = {
  format: 'switchyard/flow@1',
  name: 'Echo',
  nodes: [
    { id: 'in', type: 'core.webhook', typeVersion: 1, position: { x: 0, y: 0 }, props: { path: 'echo', method: 'POST' } },
    { id: 'shape', type: 'core.set', typeVersion: 1, position: { x: 200, y: 0 }, props: { fields: [{ name: 'got', value: '{{ $json.body.name }}' }] } },
  ],
  edges: [{ id: 'e1', source: 'in', target: 'shape' }],
  credentials: {},
};

async function finished(executionId: string): Promise<Body> {
  let record: Body;
  await expect.poll(async () => {
    record = (await api('GET', `/api/executions/${executionId}`)).body;
    return record.status;
  }, { timeout: 20_000 }).toMatch(/succeeded|failed|cancelled/);
  return record;
}

describe('flows over HTTP', () => {
  let flowId: string;

  it('validates, creates, versions and activates a flow, then answers its webhook', async () => {
    const invalid = await api('POST', '/api/flows/validate', { ...webhookFlow, edges: [{ id: 'x', source: 'in', target: 'ghost' }] });
    expect(invalid.status).toBe(200);
    expect(invalid.body.valid).toBe(false);
    expect(invalid.body.problems.length).toBeGreaterThan(0);
    expect((await api('POST', '/api/flows/validate', webhookFlow)).body).toEqual({ valid: true, problems: [] });
    expect((await api('POST', '/api/flows', { ...webhookFlow, nodes: [] })).status).toBe(400);

    const created = await api('POST', '/api/flows', webhookFlow);
    expect(created.status).toBe(201);
    flowId = created.body.id;
    const updated = await api('PUT', `/api/flows/${flowId}`, { ...webhookFlow, description: 'v2' });
    expect(updated.body.version).toBe(2);
    expect((await api('GET', `/api/flows/${flowId}/versions`)).body).toHaveLength(2);
    expect((await api('GET', `/api/flows/${flowId}/versions/1`)).body.description).toBeUndefined();
    expect((await api('GET', '/api/flows?search=Echo')).body.map((f: { id: string }) => f.id)).toContain(flowId);

    expect((await api('POST', `/api/flows/${flowId}/activate`)).body.active).toBe(true);
    const hook = await fetch(`${base}/hooks/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Ada' }) });
    expect(hook.status).toBe(200);
    expect(await hook.json()).toEqual({ got: 'Ada' });
    expect(hook.headers.get('content-security-policy')).toBe('sandbox');

    const executions = await api('GET', `/api/executions?flowId=${flowId}&limit=5`);
    expect(executions.body[0]).toMatchObject({ flowId, mode: 'webhook', status: 'succeeded' });
    expect((await api('GET', '/api/executions?limit=0')).status).toBe(400);
    expect((await api('POST', `/api/flows/${flowId}/deactivate`)).body.active).toBe(false);
    expect((await fetch(`${base}/hooks/echo`, { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('runs, reruns and exports/imports through the API', async () => {
    const run = await api('POST', `/api/flows/${flowId}/run`, { input: { body: { name: 'Grace' } }, priority: 'high' });
    expect(run.status).toBe(202);
    const record = await finished(run.body.executionId);
    expect(record.status).toBe('succeeded');
    expect(record.steps.map((s: { nodeId: string }) => s.nodeId)).toEqual(['in', 'shape']);

    const rerun = await api('POST', `/api/executions/${run.body.executionId}/rerun`, { fromStep: 'shape' });
    expect(rerun.status).toBe(202);
    expect((await finished(rerun.body.executionId)).status).toBe('succeeded');

    const exported = await api('GET', `/api/flows/${flowId}/export`);
    expect(exported.headers.get('content-disposition')).toContain('attachment');
    const imported = await api('POST', '/api/flows/import', exported.body);
    expect(imported.status).toBe(201);
    expect(imported.body.id).not.toBe(flowId);

    expect((await api('DELETE', `/api/flows/${imported.body.id}`)).status).toBe(204);
    expect((await api('GET', `/api/flows/${imported.body.id}`)).status).toBe(404);
  });

  it('manages credentials and variables without ever returning secrets', async () => {
    const created = await api('POST', '/api/credentials', { name: 'Signing', kind: 'hmac-secret', data: { secret: 'top-secret-value' } });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toContain('top-secret-value');
    const renamed = await api('PATCH', `/api/credentials/${created.body.id}`, { name: 'Signing v2' });
    expect(renamed.body.name).toBe('Signing v2');
    expect(JSON.stringify((await api('GET', '/api/credentials')).body)).not.toContain('top-secret-value');
    expect((await api('DELETE', `/api/credentials/${created.body.id}`)).status).toBe(204);
    expect((await api('GET', `/api/credentials/${created.body.id}`)).status).toBe(404);

    expect((await api('PUT', '/api/variables/region', { value: 'eu' })).body).toEqual({ key: 'region', value: 'eu' });
    expect((await api('GET', '/api/variables')).body).toContainEqual({ key: 'region', value: 'eu' });
    expect((await api('DELETE', '/api/variables/region')).status).toBe(204);

    expect((await api('GET', '/api/nodes')).body.some((n: { type: string }) => n.type === 'core.webhook')).toBe(true);
    expect((await api('GET', '/api/credential-kinds')).body.some((k: { kind: string }) => k.kind === 'hmac-secret')).toBe(true);
  });

  it('answers a sync call whose answer is larger than Redis lets a subscriber fall behind, and the next one too', async () => {
    // 33 MB of JSON: past the 32 MB at which Redis drops a pub/sub subscriber (and with it every
    // answer in flight to this web process). A lost answer shows as a 202 once the sync timeout
    // passes; the timeout leaves room for a loaded 2-core machine to build and store 33 MB.
    const size = 33 * 1024 * 1024;
    const big = await api('POST', '/api/flows', {
      ...webhookFlow,
      name: 'Big answer',
      settings: { syncTimeoutMs: 90_000 },
      nodes: [
        { ...webhookFlow.nodes[0], props: { path: 'big-answer', method: 'POST' } },
        { id: 'blob', type: 'core.code', typeVersion: 1, position: { x: 200, y: 0 }, props: { code: `return { blob: 'x'.repeat(${size}) }` } },
      ],
      edges: [{ id: 'e1', source: 'in', target: 'blob' }],
    });
    expect(big.status).toBe(201);
    expect((await api('POST', `/api/flows/${big.body.id}/activate`)).status).toBe(200);
    const res = await fetch(`${base}/hooks/big-answer`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { blob: string }).blob).toHaveLength(size);

    // The web process still hears answers afterwards.
    expect((await api('POST', `/api/flows/${flowId}/activate`)).status).toBe(200);
    const next = await fetch(`${base}/hooks/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Lin' }) });
    expect(await next.json()).toEqual({ got: 'Lin' });
    await api('POST', `/api/flows/${flowId}/deactivate`);
  }, 180_000);

  it('answers 404 JSON for a resume token nobody waits on', async () => {
    const res = await fetch(`${base}/hooks/resume/not-a-token`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('not_found');
  });
});
