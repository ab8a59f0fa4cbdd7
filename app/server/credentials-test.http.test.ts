import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../runtime/index.js';
import { startLocalServer, startTestRuntime } from '../../runtime/testing/harness.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/** `POST /api/credentials/:id/test` through HTTP, with the runtime's wiring (guarded client, allow list). */
const TOKEN = 'tok_http_layer_secret_1';
let runtime: Runtime;
let http: TestApi;
let target: string;

beforeAll(async () => {
  // The harness allows 127.0.0.1 in `outboundAllow`, as an operator would allow an internal API.
  runtime = await startTestRuntime({}, { worker: false });
  http = await serveTestApi(runtime, 'credential-test');
  target = (await startLocalServer((req, _body, res) => {
    res.writeHead(req.headers.authorization === `Bearer ${TOKEN}` ? 204 : 401).end();
  })).url;
});
const api = (method: string, path: string, body?: unknown) => http.api(method, path, body);

async function create(name: string, kind: string, data: Record<string, string>): Promise<string> {
  const res = await api('POST', '/api/credentials', { name, kind, data });
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
}

describe('POST /api/credentials/:id/test', () => {
  it('answers { ok, message } and never the secret', async () => {
    const good = await create('Good', 'http-bearer', { token: TOKEN, testUrl: `${target}/me` });
    const ok = await api('POST', `/api/credentials/${good}/test`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, message: expect.stringContaining('answered 204') });
    expect(ok.text).not.toContain(TOKEN);
    const bad = await create('Bad', 'http-bearer', { token: 'tok_wrong_http_1', testUrl: `${target}/me` });
    const refused = await api('POST', `/api/credentials/${bad}/test`);
    expect(refused.status).toBe(200);
    expect(refused.body).toMatchObject({ ok: false, message: expect.stringContaining('answered 401') });
  });

  it('404 for an unknown id, 400 not_testable for a kind without a test', async () => {
    expect((await api('POST', '/api/credentials/nope/test')).status).toBe(404);
    const hmac = await create('Signing', 'hmac-secret', { secret: 'whsec_http_1' });
    const res = await api('POST', `/api/credentials/${hmac}/test`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'not_testable' } });
  });

  it('lists testable kinds in GET /api/credential-kinds', async () => {
    const kinds = (await api('GET', '/api/credential-kinds')).body as { kind: string; testable: boolean }[];
    expect(Object.fromEntries(kinds.map((k) => [k.kind, k.testable]))).toMatchObject({ 'http-bearer': true, 'hmac-secret': false });
  });
});
