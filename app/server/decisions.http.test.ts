import { beforeAll, describe, expect, it } from 'vitest';
import { flow, runAndWait, startTestRuntime, WS } from '../../runtime/testing/harness.js';
import type { Runtime } from '../../runtime/types.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/**
 * The decision log over HTTP: a flow's guardrail steps, listed with their redacted text and
 * filtered the way the Decisions page asks (a day's bar, a rule), the per-day summary, and bad
 * filters refused naming the field.
 */
let runtime: Runtime;
let http: TestApi;
let flowId: string;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  runtime = await startTestRuntime();
  http = await serveTestApi(runtime, 'decisions');
  const doc = flow(`guarded ${Math.random()}`, [
    { id: 'in', type: 'core.manual-trigger' },
    { id: 'check', type: 'guardrails.pii', props: { text: '{{ $json.text }}' } },
  ], ['in->check']);
  flowId = (await runtime.flows.create(WS, doc)).id;
  for (const text of ['call me on +91 98765 43210', 'hello there', 'my card 4111 1111 1111 1111']) {
    expect((await runAndWait(runtime, flowId, { text })).status).toBe('succeeded');
  }
}, 60_000);

describe('decisions API', () => {
  it('lists a day\'s failures with their redacted text, filters by rule, and pages', async () => {
    const failed = await http.api('GET', `/api/decisions?flowId=${flowId}&outcome=fail&from=${today}&to=${today}`);
    expect(failed.status, failed.text).toBe(200);
    expect(failed.body.decisions.map((d: { text: string }) => d.text)).toEqual(['my card [CARD]', 'call me on [PHONE]']);
    expect(failed.body.decisions[0]).toMatchObject({ kind: 'guardrail', nodeType: 'guardrails.pii', flowId, stepKey: 'check', rules: ['pii: card'] });
    expect(failed.text).not.toMatch(/4111|98765/);

    const byRule = await http.api('GET', `/api/decisions?rule=${encodeURIComponent('pii: phone')}&flowId=${flowId}`);
    expect(byRule.body.decisions.map((d: { outcome: string }) => d.outcome)).toEqual(['fail']);

    const first = await http.api('GET', `/api/decisions?flowId=${flowId}&limit=2`);
    expect(first.body.decisions).toHaveLength(2);
    const rest = await http.api('GET', `/api/decisions?flowId=${flowId}&limit=2&before=${first.body.nextBefore}`);
    expect(rest.body).toMatchObject({ decisions: [{ text: 'call me on [PHONE]' }], nextBefore: null });
  });

  it('summarises per day by outcome with the top rules', async () => {
    const res = await http.api('GET', `/api/decisions/summary?days=7&flowId=${flowId}`);
    expect(res.status).toBe(200);
    expect(res.body.days).toHaveLength(7);
    expect(res.body.days.at(-1)).toEqual({ day: today, total: 3, outcomes: { fail: 2, pass: 1 } });
    expect(res.body.topRules).toEqual([{ rule: 'pii: card', count: 1 }, { rule: 'pii: phone', count: 1 }]);
  });

  it('refuses bad filters naming the field', async () => {
    const res = await http.api('GET', '/api/decisions?kind=robot&from=yesterday-ish&limit=0');
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string[] }) => d.path)).toEqual(expect.arrayContaining([['query', 'kind'], ['query', 'from'], ['query', 'limit']]));
    const summary = await http.api('GET', '/api/decisions/summary?days=1000');
    expect(summary.status).toBe(400);
    expect(summary.body.error.details.map((d: { path: string[] }) => d.path)).toEqual([['query', 'days']]);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await http.api('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/decisions', '/api/decisions/summary']));
  });
});
