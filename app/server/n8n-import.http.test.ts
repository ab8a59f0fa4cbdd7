import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { serveTestApi, type Body, type TestApi } from './test-api.server.js';

/** POST /api/flows/import with { format: "n8n" } (decision 039), through HTTP with a real worker. */
let runtime: Runtime;
let http: TestApi;
let stopWorker: () => Promise<void>;

beforeAll(async () => {
  runtime = await createRuntime(testConfig({ sandboxTimeoutMs: 10_000 }));
  const worker = await runtime.startWorker({ concurrency: 2 });
  http = await serveTestApi(runtime, 'n8n-import');
  stopWorker = () => worker.close();
});

afterAll(async () => {
  await stopWorker?.();
  await runtime?.close();
});

const api = (method: string, path: string, body?: unknown, raw = false) => http.api(method, path, body, { raw });

async function finished(executionId: string): Promise<Body> {
  let record: Body;
  await expect.poll(async () => {
    record = (await api('GET', `/api/executions/${executionId}`)).body;
    return record.status;
  }, { timeout: 20_000 }).toMatch(/succeeded|failed|cancelled/);
  return record;
}

const node = (name: string, type: string, parameters: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  id: name, name, type: `n8n-nodes-base.${type}`, typeVersion: 1, position: [0, 0], parameters, ...extra,
});

/** Manual trigger → Edit Fields → Code that uses n8n's item helpers → Google Sheets (not mapped). */
const workflow = {
  name: 'Totals',
  nodes: [
    node('Start', 'manualTrigger'),
    node('Prices', 'set', { assignments: { assignments: [{ name: 'price', type: 'number', value: '21' }, { name: 'label', type: 'string', value: '=n8n {{ $json.who ?? "anyone" }}' }] } }, { typeVersion: 3.4 }),
    node('Total', 'code', { jsCode: "const first = $input.first().json;\nconst prices = $('Prices').item.json;\nreturn $input.all().map((item) => ({ json: { total: item.json.price * 2, same: first.price === prices.price, label: prices.label } }));" }, { typeVersion: 2 }),
    node('Sheet', 'googleSheets', { operation: 'append', sheetName: 'Totals' }, { typeVersion: 4 }),
  ],
  connections: {
    Start: { main: [[{ node: 'Prices', type: 'main', index: 0 }]] },
    Prices: { main: [[{ node: 'Total', type: 'main', index: 0 }]] },
  },
  pinData: { Start: [{ json: { who: 'Ada' } }] },
};

describe('n8n import over HTTP', () => {
  it('previews with ?dryRun=true: document and report, nothing saved', async () => {
    const before = (await api('GET', '/api/flows')).body.length;
    const preview = await api('POST', '/api/flows/import?dryRun=true', { format: 'n8n', workflow });
    expect(preview.status).toBe(200);
    expect(preview.body.flowId).toBeUndefined();
    expect(preview.body.document.nodes.map((n: Body) => n.type)).toEqual(['core.manual-trigger', 'core.set', 'core.code', 'core.placeholder']);
    expect(preview.body.report.summary).toMatchObject({ nodes: 4, notMapped: 1, review: ['total'], pins: 1 });
    expect(preview.body.pins).toEqual({ start: { main: { who: 'Ada' } } });
    expect((await api('GET', '/api/flows')).body.length).toBe(before);
  });

  it('imports inactive with the report; validation names the placeholder; the rest runs with the n8n helpers', async () => {
    const imported = await api('POST', '/api/flows/import', { format: 'n8n', workflow });
    expect(imported.status).toBe(201);
    const { flowId, flow, report } = imported.body;
    expect(flow).toMatchObject({ id: flowId, active: false });
    expect(flow.problems.map((p: Body) => [p.nodeId, p.code])).toEqual([['sheet', 'invalid_props']]);
    expect(report.nodes.find((n: Body) => n.name === 'Sheet')).toMatchObject({ outcome: 'not_mapped', type: 'core.placeholder' });
    expect((await api('GET', `/api/flows/${flowId}`)).body.active).toBe(false);

    // A run is refused while the placeholder is there; rebuilt (here: removed), the imported steps run.
    expect((await api('POST', `/api/flows/${flowId}/run`, {})).status).toBe(400);
    const document = { ...flow.document, nodes: flow.document.nodes.filter((n: Body) => n.id !== 'sheet') };
    expect((await api('PUT', `/api/flows/${flowId}`, document)).status).toBe(200);
    const run = await api('POST', `/api/flows/${flowId}/run`, { input: { who: 'Ada' } });
    expect(run.status).toBe(202);
    const execution = await finished(run.body.executionId);
    expect(execution.status).toBe('succeeded');
    expect(execution.result).toEqual({ total: 42, same: true, label: 'n8n Ada' });
  });

  it('answers 400 naming the problem for bad input, and never a 500 for unknown node types', async () => {
    const notJson = await api('POST', '/api/flows/import', '{"format":"n8n","workflow":', true);
    expect(notJson.status).toBe(400);
    const proto = await api('POST', '/api/flows/import', '{"format":"n8n","workflow":{"nodes":[],"connections":{},"__proto__":{"polluted":true}}}', true);
    expect(proto.status).toBe(400);
    expect(proto.body.error).toMatchObject({ code: 'invalid_document', message: expect.stringMatching(/"__proto__" is not allowed/) });
    let deep: unknown = 1;
    for (let i = 0; i < 70; i++) deep = [deep];
    const tooDeep = await api('POST', '/api/flows/import', { format: 'n8n', workflow: { nodes: [node('A', 'noOp', { deep })], connections: {} } });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.error.message).toMatch(/nests deeper than 64 levels/);
    const notWorkflow = await api('POST', '/api/flows/import', { format: 'n8n', workflow: { name: 'x' } });
    expect(notWorkflow.status).toBe(400);
    expect(notWorkflow.body.error.message).toMatch(/not an n8n workflow: nodes/);
    const unknownFormat = await api('POST', '/api/flows/import', { format: 'zapier', workflow: {} });
    expect(unknownFormat.status).toBe(400);
    expect(unknownFormat.body.error.message).toMatch(/unknown import format "zapier"/);

    const strange = await api('POST', '/api/flows/import', { format: 'n8n', workflow: {
      nodes: [node('Hook', 'webhook', { path: 'strange', httpMethod: 'POST' }), { name: 'Mystery', type: 'acme.thing', parameters: { constructorName: 1 } }],
      connections: { Hook: { main: [[{ node: 'Mystery', type: 'main', index: 0 }]] } },
    } });
    expect(strange.status).toBe(201);
    expect(strange.body.report.nodes[1]).toMatchObject({ outcome: 'not_mapped', warnings: [expect.stringMatching(/acme.thing/)] });
  });

  it('still imports a plain switchyard/flow@1 document', async () => {
    const plain = await api('POST', '/api/flows/import', {
      format: 'switchyard/flow@1', name: 'Plain', nodes: [{ id: 'go', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} }], edges: [], credentials: {},
    });
    expect(plain.status).toBe(201);
    expect(plain.body).toMatchObject({ name: 'Plain', active: false });
  });
});
