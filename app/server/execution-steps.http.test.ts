import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/index.js';
import type { ExecutionRecord } from '../../runtime/services/types.js';
import { flow, runAndWait, startTestRuntime, WS } from '../../runtime/testing/harness.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/**
 * `GET /api/executions/:id` reads steps a page at a time, or the latest per node (decision 024).
 * Steps store a payload an earlier step recorded as a reference to it; a page must still show
 * every input and output in full, wherever the referenced step lies.
 */
let runtime: Runtime;
let http: TestApi;
let full: ExecutionRecord;

beforeAll(async () => {
  runtime = await startTestRuntime();
  http = await serveTestApi(runtime, 'steps');
  // Per item: Set → If (passes its input on as is) → Set. The If's output and the second Set's input
  // are stored as references, so a page can start right after the step they point at.
  const created = await runtime.flows.create(WS, flow('paged-steps', [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'each', type: 'core.for-each', props: { items: '{{ $json.items }}', concurrency: 1 } },
    { id: 'one', type: 'core.set', props: { fields: [{ name: 'n', value: '{{ $json }}' }] } },
    { id: 'check', type: 'core.if', props: { conditions: [{ left: '{{ $json.n }}', operator: 'gte', right: '0' }] } },
    { id: 'two', type: 'core.set', props: { fields: [{ name: 'm', value: '{{ $json.n }}' }] } },
    { id: 'gather', type: 'core.collect' },
  ], ['start->each', 'each:item->one', 'one->check', 'check:true->two', 'two->gather']));
  const done = await runAndWait(runtime, created.id, { items: Array.from({ length: 30 }, (_, i) => i) });
  expect(done.status).toBe('succeeded');
  full = await runtime.executions.get(WS, done.id);
});

async function get(path: string): Promise<{ status: number; body: ExecutionRecord & { error?: { code: string; message: string } } }> {
  return http.api('GET', path);
}

describe('reading an execution\'s steps', () => {
  it('returns every step of a small execution by default, with the count and no next page', async () => {
    expect(full.steps).toHaveLength(93);
    expect(full.steps.filter((s) => s.nodeId === 'check').every((s) => s.output !== null && 'true' in s.output)).toBe(true);
    const { status, body } = await get(`/api/executions/${full.id}`);
    expect(status).toBe(200);
    expect(body.steps).toEqual(full.steps);
    expect([body.stepCount, body.nextStepsAfter]).toEqual([93, null]);
  });

  it('pages through the steps with the cursor it returns; the pages add up to the whole, payloads in full', async () => {
    const pages: ExecutionRecord[] = [];
    let after: number | null = 0;
    while (after !== null) {
      const { status, body } = await get(`/api/executions/${full.id}?stepsLimit=4&stepsAfter=${after}`);
      expect(status).toBe(200);
      pages.push(body);
      after = body.nextStepsAfter;
    }
    expect(pages).toHaveLength(24);
    expect(pages.every((p) => p.stepCount === 93)).toBe(true);
    expect(pages.slice(0, -1).every((p) => p.steps.length === 4)).toBe(true);
    expect(pages.flatMap((p) => p.steps)).toEqual(full.steps);
  });

  it('gives the latest step of each node for the canvas, with how many times each ran', async () => {
    const { body } = await get(`/api/executions/${full.id}?steps=latest`);
    expect(body.steps.map((s) => s.nodeId)).toEqual(['start', 'each', 'one', 'check', 'two', 'gather']);
    expect(body.steps.find((s) => s.nodeId === 'two')).toMatchObject({ input: { n: 29 }, output: { main: { m: 29 } } });
    expect(body.stepCount).toBe(93);
    expect(body.nodeStepCounts).toEqual({ start: 1, each: 1, one: 30, check: 30, two: 30, gather: 1 });
  });

  it('gives the event stream\'s snapshot the same choice of steps', async () => {
    const { headers, text } = await http.api('GET', `/api/executions/${full.id}/events?steps=latest`);
    expect(headers.get('content-type')).toContain('text/event-stream');
    // A finished execution's stream is its snapshot, then the end.
    const snapshot = JSON.parse(/^event: snapshot\ndata: (.*)$/m.exec(text)![1]!) as ExecutionRecord;
    expect(snapshot.steps.map((s) => s.nodeId)).toEqual(['start', 'each', 'one', 'check', 'two', 'gather']);
  });

  it('leaves the steps out when asked, still counting them', async () => {
    const { body } = await get(`/api/executions/${full.id}?steps=none`);
    expect([body.steps, body.stepCount, body.status]).toEqual([[], 93, 'succeeded']);
  });

  it('answers a bad page request with a 400 naming the parameter', async () => {
    for (const [query, name] of [['stepsLimit=0', 'stepsLimit'], ['stepsLimit=5001', 'stepsLimit'], ['stepsAfter=-1', 'stepsAfter'], ['steps=all', 'steps']] as const) {
      const { status, body } = await get(`/api/executions/${full.id}?${query}`);
      expect([query, status]).toEqual([query, 400]);
      expect(JSON.stringify(body.error)).toContain(name);
    }
  });
});
