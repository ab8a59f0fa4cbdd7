import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiFake, type AiFake } from '../../nodes/ai/fake.js';
import { flow, runAndWait, startTestRuntime, WS } from '../../runtime/testing/harness.js';
import type { Runtime } from '../../runtime/types.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/**
 * The Usage page's figures over HTTP, from real ai.chat steps against the local OpenAI fake: sums
 * per flow, per provider/model and per day, the price table's cost, a model without a price, a
 * fallback that answered with its second model, and another workspace's usage kept out.
 */
let runtime: Runtime;
let fake: AiFake;
let http: TestApi;
let priced: string;
let unpriced: string;
let fallback: string;
const KEY = 'sk-usage-0123456789abcdef';
const OTHER = 'usage-other';
const today = new Date().toISOString().slice(0, 10);

async function chatFlow(workspace: string, credentialId: string, chain: { model: string }[]): Promise<string> {
  const document = flow(`usage ${Math.random()}`, [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'ai', type: 'ai.chat', props: { chain: chain.map((c) => ({ credential: 'provider', model: c.model, timeoutMs: 5000 })), prompt: 'hi' }, credentials: { provider: 'llm' } },
  ], ['start->ai'], { credentials: { llm: { kind: 'ai-provider', id: credentialId } } });
  return (await runtime.flows.create(workspace, document)).id;
}

beforeAll(async () => {
  fake = await startAiFake({ apiKey: KEY });
  runtime = await startTestRuntime();
  http = await serveTestApi(runtime, 'usage');
  const credential = async (workspace: string) => (await runtime.credentials.create(workspace, { name: `ai ${Math.random()}`, kind: 'ai-provider', data: { preset: 'openai', apiKey: KEY, baseUrl: fake.url } })).id;
  const llm = await credential(WS);
  await runtime.aiPrices.replace(WS, { prices: [{ model: 'fake-chat', input: 2, output: 8 }, { model: 'fake-mini', input: 1, output: 4 }] });
  // fake-down is overloaded: a chain that starts with it falls back, and fake-mini answers (and is paid for).
  fake.onChat((body) => (body.model === 'fake-down'
    ? { kind: 'status', status: 503, message: 'overloaded' }
    : { kind: 'answer', content: 'ok', usage: { prompt: 1000, completion: 500 } }));

  priced = await chatFlow(WS, llm, [{ model: 'fake-chat' }]);
  unpriced = await chatFlow(WS, llm, [{ model: 'unlisted-model' }]);
  fallback = await chatFlow(WS, llm, [{ model: 'fake-down' }, { model: 'fake-mini' }]);
  for (let i = 0; i < 2; i++) expect((await runAndWait(runtime, priced, {})).status).toBe('succeeded');
  expect((await runAndWait(runtime, unpriced, {})).status).toBe('succeeded');
  expect((await runAndWait(runtime, fallback, {})).status).toBe('succeeded');

  await runtime.knex('workspaces').insert({ id: OTHER, name: 'Other workspace' });
  await runtime.aiPrices.replace(OTHER, { prices: [{ model: 'fake-chat', input: 2, output: 8 }] });
  const otherFlow = await chatFlow(OTHER, await credential(OTHER), [{ model: 'fake-chat' }]);
  const { executionId } = await runtime.executions.run(OTHER, otherFlow, {});
  expect((await runtime.executions.waitFor(OTHER, executionId, 15_000)).status).toBe('succeeded');
}, 90_000);
afterAll(async () => { await fake.close(); });

const tokens = (steps: number, cost: number, unpricedSteps = 0) => ({
  promptTokens: 1000 * steps, completionTokens: 500 * steps, totalTokens: 1500 * steps, cost, unpricedSteps, steps,
});

describe('GET /api/usage', () => {
  it('sums tokens and cost per flow, per provider/model and per day, this workspace only', async () => {
    const res = await http.api('GET', '/api/usage');
    expect(res.status, res.text).toBe(200);
    const report = res.body;
    expect(report).toMatchObject({ to: today, currency: 'USD' });
    expect(report.byDay).toHaveLength(30);
    expect(report.from).toBe(report.byDay[0].day);
    // 1000 × $2/M + 500 × $8/M = $0.006 on fake-chat; 1000 × $1/M + 500 × $4/M = $0.003 on fake-mini.
    expect(report.totals).toEqual(tokens(4, 0.015, 1));
    expect(report.byDay.at(-1)).toEqual({ day: today, ...tokens(4, 0.015, 1) });
    expect(report.byDay.slice(0, -1).every((d: { steps: number }) => d.steps === 0)).toBe(true);

    const flows = Object.fromEntries(report.byFlow.map((f: { flowId: string }) => [f.flowId, f]));
    expect(Object.keys(flows).sort()).toEqual([priced, unpriced, fallback].sort());
    expect(flows[priced]).toMatchObject({ flowName: expect.stringMatching(/^usage /), ...tokens(2, 0.012) });
    expect(flows[fallback]).toMatchObject(tokens(1, 0.003));
    expect(flows[unpriced]).toMatchObject(tokens(1, 0, 1));
    expect(report.byFlow[0].flowId).toBe(priced);

    expect(report.byProvider).toEqual([
      { provider: 'openai', model: 'fake-chat', ...tokens(2, 0.012) },
      { provider: 'openai', model: 'fake-mini', ...tokens(1, 0.003) },
      { provider: 'openai', model: 'unlisted-model', ...tokens(1, 0, 1) },
    ]);
    expect(report.rows).toContainEqual({ day: today, flowId: fallback, flowName: expect.any(String), provider: 'openai', model: 'fake-mini', ...tokens(1, 0.003) });
  });

  it('filters by flow and range', async () => {
    const one = (await http.api('GET', `/api/usage?flowId=${priced}&from=${today}&to=${today}`)).body;
    expect(one.byDay).toEqual([{ day: today, ...tokens(2, 0.012) }]);
    expect(one.byFlow.map((f: { flowId: string }) => f.flowId)).toEqual([priced]);
    const past = (await http.api('GET', '/api/usage?from=2020-01-01&to=2020-01-31')).body;
    expect(past).toMatchObject({ from: '2020-01-01', to: '2020-01-31', totals: { steps: 0, cost: 0 }, byFlow: [], byProvider: [] });
    expect(past.byDay).toHaveLength(31);
  });

  it('shows another workspace only its own usage', async () => {
    const { key } = await runtime.auth.createApiKey(OTHER, 'usage-other');
    const res = await fetch(`${http.base}/api/usage`, { headers: { authorization: `Bearer ${key}` } });
    const report = await res.json() as { totals: unknown; byFlow: { flowId: string }[] };
    expect(report.totals).toEqual(tokens(1, 0.006));
    expect(report.byFlow.map((f) => f.flowId)).not.toContain(priced);
  });

  it('refuses bad dates and a reversed range with a 400 naming the parameter', async () => {
    const bad = await http.api('GET', '/api/usage?from=yesterday&to=2026-02-30');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: { path: string[] }) => d.path)).toEqual([['query', 'from'], ['query', 'to']]);
    const reversed = await http.api('GET', '/api/usage?from=2026-03-02&to=2026-03-01');
    expect(reversed.status).toBe(400);
    expect(reversed.body.error.details).toEqual([{ path: ['query', 'from'], message: expect.stringContaining('is after to') }]);
    expect((await http.api('GET', '/api/usage?from=2020-01-01&to=2026-01-01')).status).toBe(400);
    // A lone from is compared with today (the default to).
    const future = await http.api('GET', '/api/usage?from=2999-01-01');
    expect(future.status).toBe(400);
    expect(future.body.error.details).toEqual([{ code: 'invalid_range', path: ['query', 'from'], message: expect.stringContaining('is after to') }]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await http.api('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toContain('/api/usage');
  });
});
