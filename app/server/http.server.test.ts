import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { apiRoutes } from './api/index.server.js';
import { errorMiddleware } from './errors.server.js';
import { createHttpServer } from './http.server.js';

/** Response JSON, read freely in assertions (the assertions are the type check). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Body = any;

const MAX_BODY = 8 * 1024;
const OWNER = { email: 'owner@example.com', password: 'correct horse battery' };

let runtime: Runtime;
let base: string;
let host: string;
let closeServer: () => Promise<void>;
let cookie = '';

beforeAll(async () => {
  runtime = await createRuntime(testConfig({ maxBodyBytes: MAX_BODY }));
  const server = await createHttpServer(runtime, { closeGraceMs: 1000 }).listen(0, '127.0.0.1');
  base = server.url;
  host = new URL(base).host;
  closeServer = server.close;
});

afterAll(async () => {
  await closeServer?.();
  await runtime?.close();
});

interface Call {
  method?: string;
  body?: unknown;
  raw?: string | Buffer;
  headers?: Record<string, string>;
  cookie?: boolean;
  origin?: boolean;
  key?: string;
}

async function call(path: string, options: Call = {}): Promise<{ status: number; body: Body; headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  if (options.cookie) headers.cookie = cookie;
  if (options.origin) headers.origin = `http://${host}`;
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const res = await fetch(base + path, {
    method: options.method ?? (options.body !== undefined || options.raw !== undefined ? 'POST' : 'GET'),
    headers,
    body: typeof options.raw === 'string' ? options.raw
      : options.raw ? new Uint8Array(options.raw) : options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  let body: unknown = text;
  if ((res.headers.get('content-type') ?? '').includes('json') && text) body = JSON.parse(text);
  return { status: res.status, body, headers: res.headers };
}

function sessionCookie(headers: Headers): string | undefined {
  return headers.getSetCookie().find((c) => c.startsWith('sy_session='));
}

describe('health, metrics, fallbacks', () => {
  it('serves /healthz and /metrics', async () => {
    const health = await call('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ ok: true, checks: { postgres: { ok: true }, redis: { ok: true } } });
    const metrics = await call('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(metrics.body).toContain('# HELP');
    // The metrics, and the process's own (event-loop lag is sampled every 100 ms, not 10).
    for (const name of ['switchyard_executions_total', 'switchyard_step_duration_seconds', 'switchyard_queue_depth',
      'switchyard_sandbox_restarts_total', 'switchyard_process_nodejs_eventloop_lag_p99_seconds']) {
      expect(metrics.body, name).toContain(`# HELP ${name}`);
    }
  });

  it('answers unknown paths with 404 JSON', async () => {
    const page = await call('/no/such/page');
    expect(page.status).toBe(404);
    expect(page.body.error.code).toBe('not_found');
    const hook = await call('/hooks/nobody-listens', { raw: 'hi' });
    expect(hook.status).toBe(404);
    expect(hook.body.error).toMatchObject({ code: 'not_found' });
  });
});

describe('auth', () => {
  it('refuses the API without credentials', async () => {
    const res = await call('/api/flows');
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    expect(res.headers.get('x-request-id')).toBeTruthy();
  });

  it('sets up the owner once, with an httpOnly SameSite cookie', async () => {
    expect((await call('/api/auth/status')).body).toEqual({ needsSetup: true });
    const bad = await call('/api/auth/setup', { body: { email: 'nope', password: 'short' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('validation_failed');
    expect(bad.body.error.details).toEqual(expect.arrayContaining([
      expect.objectContaining({ path: ['body', 'email'] }), expect.objectContaining({ path: ['body', 'password'] }),
    ]));

    const setup = await call('/api/auth/setup', { body: OWNER });
    expect(setup.status).toBe(201);
    const set = sessionCookie(setup.headers);
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Lax/);
    expect(set).toMatch(/Path=\//);
    expect(set).not.toMatch(/Secure/);
    cookie = set!.split(';')[0]!;
    expect((await call('/api/auth/status')).body).toEqual({ needsSetup: false });
    expect((await call('/api/auth/setup', { body: OWNER })).status).toBe(409);

    const me = await call('/api/auth/me', { cookie: true });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ workspaceId: 'default', via: 'session', userId: expect.any(String) });
  });

  it('logs in and out', async () => {
    expect((await call('/api/auth/login', { body: { ...OWNER, password: 'wrong password' } })).status).toBe(401);
    const login = await call('/api/auth/login', { body: OWNER });
    expect(login.status).toBe(200);
    const second = sessionCookie(login.headers)!.split(';')[0]!;
    const logout = await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: { cookie: second, origin: `http://${host}` } });
    expect(logout.status).toBe(204);
    expect(sessionCookie(logout.headers)).toMatch(/Max-Age=0/);
    expect((await fetch(`${base}/api/auth/me`, { headers: { cookie: second } })).status).toBe(401);
  });

  it('refuses cross-site state changes made with the cookie (CSRF)', async () => {
    const noOrigin = await call('/api/apikeys', { cookie: true, body: { name: 'x' } });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.error.code).toBe('forbidden');
    const evil = await call('/api/apikeys', { cookie: true, body: { name: 'x' }, headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    const evilReferer = await call('/api/apikeys', { cookie: true, body: { name: 'x' }, headers: { referer: 'https://evil.example/page' } });
    expect(evilReferer.status).toBe(403);
    const crossLogin = await call('/api/auth/login', { body: OWNER, headers: { origin: 'https://evil.example' } });
    expect(crossLogin.status).toBe(403);
    const sameSite = await call('/api/apikeys', { cookie: true, body: { name: 'same site' }, headers: { referer: `http://${host}/settings` } });
    expect(sameSite.status).toBe(201);
    // Reads are not state changes.
    expect((await call('/api/apikeys', { cookie: true })).status).toBe(200);
  });

  it('authenticates API keys and refuses revoked ones', async () => {
    const created = await call('/api/apikeys', { cookie: true, origin: true, body: { name: 'ci' } });
    expect(created.status).toBe(201);
    const { id, key, prefix } = created.body;
    expect(key).toMatch(/^sy_/);
    expect(prefix).toBe(key.slice(0, 10));
    // A Bearer call needs no Origin: a browser cannot attach it on its own.
    expect((await call('/api/flows', { key })).status).toBe(200);
    expect((await call('/api/variables/x', { key, method: 'PUT', body: { value: 'y' } })).status).toBe(200);
    expect((await call('/api/auth/me', { key })).body).toMatchObject({ workspaceId: 'default', apiKeyId: id, via: 'apiKey' });
    const list = await call('/api/apikeys', { key });
    expect(JSON.stringify(list.body)).not.toContain(key);
    expect((await call('/api/flows', { key: `${key}x` })).status).toBe(401);
    expect((await call(`/api/apikeys/${id}`, { key, method: 'DELETE' })).status).toBe(204);
    expect((await call('/api/flows', { key })).status).toBe(401);
  });

  it('rate-limits failed logins with 429 and Retry-After', async () => {
    const attempt = () => call('/api/auth/login', { body: { email: 'owner@example.com', password: 'guessing wrong' } });
    let last = await attempt();
    for (let i = 0; i < 10 && last.status === 401; i += 1) last = await attempt();
    expect(last.status).toBe(429);
    expect(last.body.error.code).toBe('rate_limited');
    expect(Number(last.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('request bodies and errors', () => {
  let key: string;
  beforeAll(async () => {
    key = (await call('/api/apikeys', { cookie: true, origin: true, body: { name: 'bodies' } })).body.key;
  });

  it('answers 413 JSON for an oversized API body and webhook body', async () => {
    const big = JSON.stringify({ value: 'x'.repeat(MAX_BODY * 2) });
    const api = await call('/api/variables/big', { key, method: 'PUT', raw: big, headers: { 'content-type': 'application/json' } });
    expect(api.status).toBe(413);
    expect(api.body.error.code).toBe('payload_too_large');
    const hook = await call('/hooks/anything', { raw: Buffer.alloc(MAX_BODY * 2, 97) });
    expect(hook.status).toBe(413);
    expect(hook.body.error.code).toBe('payload_too_large');
  });

  it('answers 400 invalid_json for malformed JSON', async () => {
    const res = await call('/api/flows', { key, raw: '{"format": ', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
  });

  it('answers 404 JSON for unknown ids and unknown API routes', async () => {
    const flow = await call('/api/flows/does-not-exist', { key });
    expect(flow.status).toBe(404);
    expect(flow.body.error.code).toBe('not_found');
    const execution = await call('/api/executions/does-not-exist', { key });
    expect(execution.status).toBe(404);
    const route = await call('/api/nothing-here', { key });
    expect(route.status).toBe(404);
    expect(route.body.error.code).toBe('not_found');
  });

  it('names every zod issue in validation_failed details', async () => {
    const res = await call('/api/variables/1bad', { key, method: 'PUT', body: { value: 5 } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual(expect.arrayContaining([
      { path: ['params', 'key'], message: expect.any(String) },
    ]));
    const body = await call('/api/variables/good', { key, method: 'PUT', body: { value: 5 } });
    expect(body.body.error.details).toEqual([{ path: ['body', 'value'], message: expect.any(String) }]);
  });
});

describe('unexpected errors', () => {
  it('become a bare 500 with the request id, never a stack trace', async () => {
    const app = express();
    app.get('/boom', () => {
      throw new Error('database password is hunter2');
    });
    app.use(errorMiddleware(runtime, MAX_BODY));
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const res = await fetch(`http://127.0.0.1:${port}/boom`, { headers: { 'x-request-id': 'req-42' } });
      expect(res.status).toBe(500);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: { code: 'internal', message: 'internal error' } });
      expect(text).not.toContain('hunter2');
    } finally {
      server.close();
    }
  });
});

describe('OpenAPI', () => {
  it('lists every route with its auth and body schemas', async () => {
    const res = await call('/api/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    for (const route of apiRoutes()) {
      const path = `/api${route.meta.path}`.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.meta.method];
      expect(operation, `${route.meta.method} ${path}`).toBeDefined();
      expect(operation.security, path).toEqual(route.auth ? [{ bearerAuth: [] }, { cookieAuth: [] }] : []);
    }
    expect(doc.paths['/hooks/resume/{token}'].post).toBeDefined();
    expect(doc.paths['/healthz'].get).toBeDefined();
    expect(doc.paths['/api/flows'].post.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/FlowDocument' });
    expect(doc.components.schemas.FlowDocument.properties.nodes).toBeDefined();
    expect(doc.paths['/api/auth/setup'].post.requestBody.content['application/json'].schema.properties.password.minLength).toBe(8);
    // Nested definitions must resolve inside this document.
    const text = JSON.stringify(doc);
    expect(text).not.toContain('#/$defs/');
    for (const ref of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(doc.components.schemas[ref[1]!], ref[1]).toBeDefined();
  });
});
