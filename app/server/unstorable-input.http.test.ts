import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/index.js';
import { startTestRuntime } from '../../runtime/testing/harness.js';
import { serveTestApi, type Body, type TestApi } from './test-api.server.js';

/**
 * Values Postgres refuses — the NUL character, extreme nesting — and URLs that do not decode. Each
 * must come back as a 400 naming the problem (never a 500, a hung sync call or a lost execution),
 * and a node producing such a value fails its own step instead of the execution's commit.
 */
let runtime: Runtime;
let http: TestApi;

beforeAll(async () => {
  runtime = await startTestRuntime();
  http = await serveTestApi(runtime, 'bad-input');
});

/** `body` is sent as it is: JSON text, possibly holding what JSON.stringify would escape. */
const call = (method: string, path: string, body?: string, auth = true) => http.api(method, path, body, { raw: true, auth });

/** JSON text with `levels` arrays nested in each other. */
function deepJson(levels: number): string {
  return '['.repeat(levels) + ']'.repeat(levels);
}

function codeFlow(path: string, code: string, respond: 'lastNode' | 'immediately' = 'lastNode') {
  return {
    format: 'switchyard/flow@1',
    name: `Code ${path}`,
    nodes: [
      { id: 'in', type: 'core.webhook', typeVersion: 1, position: { x: 0, y: 0 }, props: { path, method: 'POST', respond } },
      { id: 'code', type: 'core.code', typeVersion: 1, position: { x: 200, y: 0 }, props: { code } },
    ],
    edges: [{ id: 'e1', source: 'in', target: 'code' }],
  };
}

async function activeFlow(document: object): Promise<string> {
  const created = await call('POST', '/api/flows', JSON.stringify(document));
  expect(created.status).toBe(201);
  expect((await call('POST', `/api/flows/${created.body.id}/activate`)).status).toBe(200);
  return created.body.id;
}

async function finished(executionId: string): Promise<Body> {
  let record: Body;
  await expect.poll(async () => {
    record = (await call('GET', `/api/executions/${executionId}`)).body;
    return record?.status;
  }, { timeout: 20_000 }).toMatch(/succeeded|failed|cancelled/);
  return record;
}

describe('values Postgres cannot store', () => {
  it('the API answers 400 naming where the NUL or the nesting is, for bodies, queries and ids', async () => {
    const named = await call('POST', '/api/flows', JSON.stringify({ ...codeFlow('nul-name', 'return $json'), name: 'bad\u0000name' }));
    expect(named.status).toBe(400);
    expect(named.body.error).toMatchObject({ code: 'validation_failed', details: [{ path: ['body', 'name'], message: expect.stringContaining('NUL character') }] });

    const id = await call('GET', '/api/flows/abc%00def');
    expect(id.status).toBe(400);
    expect(id.body.error.details).toEqual([{ path: ['params', 'id'], message: expect.stringContaining('NUL character') }]);

    const query = await call('GET', '/api/executions?flowId=%00');
    expect(query.status).toBe(400);
    expect(query.body.error.details[0].path).toEqual(['query', 'flowId']);

    const flowId = await activeFlow(codeFlow('api-deep', 'return $json'));
    const deep = await call('POST', `/api/flows/${flowId}/run`, `{"input":{"body":${deepJson(500)}}}`);
    expect(deep.status).toBe(400);
    expect(deep.body.error.details[0].message).toBe('nests deeper than 128 levels');
    expect((await call('GET', `/api/executions?flowId=${flowId}`)).body).toEqual([]);
  });

  it('a URL that does not percent-decode is a 400, not a 500', async () => {
    for (const path of ['/api/flows/%E0%A4%A', '/api/executions/%', '/api/credentials/%zz']) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(400);
      expect(res.body.error).toEqual({ code: 'bad_request', message: expect.stringContaining('percent-encoding') });
    }
    expect((await call('POST', '/hooks/resume/%E0', '{}', false)).status).toBe(400);
  });

  it('a webhook refuses such a body at once and keeps answering good calls', async () => {
    await activeFlow(codeFlow('sum-nul', 'return { sum: $json.body.a + $json.body.b }'));
    await activeFlow(codeFlow('queue-nul', 'return $json', 'immediately'));
    const hook = (path: string, body: string) => call('POST', `/hooks/${path}`, body, false);

    // Without the check a sync caller waited for the sync timeout and got a 202 for an execution
    // that was never recorded.
    const nul = await hook('sum-nul', '{"a":"\\u0000","b":1}');
    expect(nul.status).toBe(400);
    expect(nul.body.error).toMatchObject({ code: 'validation_failed', message: expect.stringMatching(/^body\.a contains the NUL character/) });
    expect((await hook('sum-nul', `{"a":${deepJson(1000)}}`)).body.error.message).toMatch(/nests deeper than 128 levels/);
    expect((await call('POST', '/hooks/sum-nul?x=%00', '{}', false)).body.error.details[0].path).toEqual(['query', 'x']);
    expect((await hook('queue-nul', '{"a":"\\u0000"}')).status).toBe(400);
    // A lone surrogate (an emoji cut in half) has no UTF-8 form: jsonb refuses it the same way.
    const half = await hook('sum-nul', '{"a":"\\ud83d","b":1}');
    expect(half.status).toBe(400);
    expect(half.body.error.message).toMatch(/^body\.a contains an unpaired UTF-16 surrogate/);

    const good = await hook('sum-nul', '{"a":2,"b":3}');
    expect(good).toMatchObject({ status: 200, body: { sum: 5 } });
    const resume = await call('POST', '/hooks/resume/any-token', '{"note":"\\u0000"}', false);
    expect(resume.status).toBe(400);
    expect(resume.body.error.details[0].path).toEqual(['body', 'note']);
  });

  it('a node output Postgres cannot store fails that step, named, and the execution is recorded', async () => {
    const flowId = await activeFlow(codeFlow('out-nul', 'return { kept: 1, s: "a\\u0000b" }'));
    const run = await call('POST', `/api/flows/${flowId}/run`, JSON.stringify({ input: { body: {} } }));
    expect(run.status).toBe(202);
    const record = await finished(run.body.executionId);
    expect(record.status).toBe('failed');
    const step = record.steps.find((s: { nodeId: string }) => s.nodeId === 'code');
    expect(step.error).toMatchObject({ code: 'invalid_output', message: expect.stringContaining('$.s contains the NUL character') });

    // A thrown message is text: its NUL is replaced so the failure itself can be recorded.
    const thrower = await activeFlow(codeFlow('throw-nul', 'throw new Error("bad\\u0000value")'));
    const failed = await finished((await call('POST', `/api/flows/${thrower}/run`, JSON.stringify({ input: {} }))).body.executionId);
    expect(failed.status).toBe('failed');
    expect(failed.steps.find((s: { nodeId: string }) => s.nodeId === 'code').error.message).toContain('bad\uFFFDvalue');
  });
});
