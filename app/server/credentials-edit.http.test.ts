import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { callHook, flow, startLocalServer } from '../../runtime/testing/harness.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/**
 * Editing a credential through HTTP (`PATCH /api/credentials/:id`, `POST /api/credentials/:id/test`
 * with `data`), as two processes see it: `web` serves the API, `worker` runs the executions and
 * receives webhooks. Each holds decrypted values in its own caches, which an edit must reach.
 */
const OLD_TOKEN = 'tok_edit_old_value_1';
const NEW_TOKEN = 'tok_edit_new_value_2';
const config = testConfig({ outboundAllow: ['127.0.0.1'] });
let web: Runtime;
let worker: Runtime;
let http: TestApi;
let target: string;
/** `Authorization` headers the fake service saw, per path. */
const seen: Record<string, string[]> = {};
/** Calls to `/hold` wait here until the test lets them go. */
let releaseHold: () => void = () => {};
let holdReached: () => void = () => {};

beforeAll(async () => {
  web = await createRuntime(config);
  worker = await createRuntime(config);
  await worker.startWorker();
  http = await serveTestApi(web, 'credential-edit');
  target = (await startLocalServer(async (req, _body, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    (seen[path] ??= []).push(req.headers.authorization ?? '');
    if (path === '/hold') {
      const released = new Promise<void>((resolve) => { releaseHold = resolve; });
      holdReached();
      await released;
    }
    // The test URL accepts only the new token; the flow's calls accept anything and echo nothing.
    const ok = path !== '/me' || req.headers.authorization === `Bearer ${NEW_TOKEN}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end('{"ok":true}');
  })).url;
});
afterAll(async () => {
  await worker?.close();
  await web?.close();
});
const api = (method: string, path: string, body?: unknown) => http.api(method, path, body);

async function createCredential(name: string, kind: string, data: Record<string, string>): Promise<string> {
  const res = await api('POST', '/api/credentials', { name, kind, data });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

async function runToEnd(flowId: string): Promise<string> {
  const run = await api('POST', `/api/flows/${flowId}/run`, { input: {} });
  expect(run.status, run.text).toBe(202);
  const record = await web.executions.waitFor('default', run.body.executionId, 30_000);
  return record.status;
}

describe('PATCH /api/credentials/:id', () => {
  it('replaces a secret in place: same id, the flow stays bound and its next run sends the new token; a secret left out keeps its value', async () => {
    const id = await createCredential('Shop token', 'http-bearer', { token: OLD_TOKEN, testUrl: `${target}/me` });
    const created = await api('POST', '/api/flows', flow('uses the token', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'call', type: 'core.http-request', props: { url: `${target}/orders` }, credentials: { auth: 'shop' } },
    ], ['start->call'], { credentials: { shop: { kind: 'http-bearer', id } } }));
    expect(created.status, created.text).toBe(201);
    expect(await runToEnd(created.body.id)).toBe('succeeded');

    const shown = await api('GET', `/api/credentials/${id}`);
    expect(shown.body).toMatchObject({ id, name: 'Shop token', fields: { testUrl: `${target}/me` }, secretsSet: ['token'] });
    expect(shown.text).not.toContain(OLD_TOKEN);

    const edited = await api('PATCH', `/api/credentials/${id}`, { data: { token: NEW_TOKEN } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toMatchObject({ id, name: 'Shop token' });
    expect(edited.text).not.toContain(NEW_TOKEN);
    expect(await runToEnd(created.body.id)).toBe('succeeded');

    // Renamed, and the test URL removed; the token is not sent, so it stays.
    const renamed = await api('PATCH', `/api/credentials/${id}`, { name: 'Shop token (rotated)', data: { testUrl: null } });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await api('GET', `/api/credentials/${id}`)).body).toMatchObject({ name: 'Shop token (rotated)', fields: {}, secretsSet: ['token'] });
    expect(await runToEnd(created.body.id)).toBe('succeeded');
    expect(seen['/orders']).toEqual([`Bearer ${OLD_TOKEN}`, `Bearer ${NEW_TOKEN}`, `Bearer ${NEW_TOKEN}`]);
    expect((await api('GET', `/api/flows/${created.body.id}`)).body.document.credentials.shop.id).toBe(id);
  });

  it('reaches a running execution in the other process: the next step that uses the credential gets the new token', async () => {
    const id = await createCredential('Mid-run token', 'http-bearer', { token: OLD_TOKEN });
    const created = await api('POST', '/api/flows', flow('two calls', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'first', type: 'core.http-request', props: { url: `${target}/hold` }, credentials: { auth: 'api' } },
      { id: 'second', type: 'core.http-request', props: { url: `${target}/after` }, credentials: { auth: 'api' } },
    ], ['start->first', 'first->second'], { credentials: { api: { kind: 'http-bearer', id } } }));
    expect(created.status, created.text).toBe(201);
    const reached = new Promise<void>((resolve) => { holdReached = resolve; });
    const run = await api('POST', `/api/flows/${created.body.id}/run`, { input: {} });
    await reached;
    // The worker loaded the credential for the first step; it is edited while that step waits.
    expect((await api('PATCH', `/api/credentials/${id}`, { data: { token: NEW_TOKEN } })).status).toBe(200);
    releaseHold();
    expect((await web.executions.waitFor('default', run.body.executionId, 30_000)).status).toBe('succeeded');
    expect(seen['/hold']).toEqual([`Bearer ${OLD_TOKEN}`]);
    expect(seen['/after']).toEqual([`Bearer ${NEW_TOKEN}`]);
  });

  it('reaches the webhook receiver of the other process: the next call is checked against the new signing secret', async () => {
    const id = await createCredential('Signing', 'hmac-secret', { secret: 'whsec_old_value_1' });
    const created = await worker.flows.create('default', flow('signed hook', [
      { id: 'in', type: 'core.webhook', props: { path: 'edit/signed', respond: 'immediately' }, credentials: { signature: 'sig' } },
    ], [], { credentials: { sig: { kind: 'hmac-secret', id } } }));
    await worker.flows.activate('default', created.id);
    const body = { order: 1 };
    const signed = (secret: string) => ({ 'x-signature-256': `sha256=${createHmac('sha256', secret).update(JSON.stringify(body)).digest('hex')}` });
    // The receiver now holds the old secret in its cache.
    expect((await callHook(worker, 'edit/signed', body, signed('whsec_old_value_1'))).status).toBe(202);

    expect((await api('PATCH', `/api/credentials/${id}`, { data: { secret: 'whsec_new_value_2' } })).status).toBe(200);
    expect((await api('GET', `/api/credentials/${id}`)).body).toMatchObject({ fields: { header: 'x-signature-256', prefix: 'sha256=' }, secretsSet: ['secret'] });
    await expect(callHook(worker, 'edit/signed', body, signed('whsec_old_value_1'))).rejects.toMatchObject({ status: 401 });
    expect((await callHook(worker, 'edit/signed', body, signed('whsec_new_value_2'))).status).toBe(202);
  });

  it('answers 400 naming the field (never its value), 404 for an unknown id, 409 for a taken name', async () => {
    const id = await createCredential('Strict header', 'http-header', { name: 'X-Key', value: 'v-strict-1' });
    const bad = await api('PATCH', `/api/credentials/${id}`, { data: { value: 'line\r\nX-Evil: yes' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'validation_failed', details: [expect.objectContaining({ path: ['data', 'value'], message: expect.stringContaining('value') })] });
    expect(bad.text).not.toContain('X-Evil');
    const empty = await api('PATCH', `/api/credentials/${id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('validation_failed');
    expect((await api('PATCH', '/api/credentials/nope', { data: { value: 'x' } })).status).toBe(404);
    await createCredential('Taken', 'http-bearer', { token: 'tok_taken_1' });
    expect((await api('PATCH', `/api/credentials/${id}`, { name: 'taken' })).status).toBe(409);
    expect((await web.credentials.get('default', id)).name).toBe('Strict header');
  });
});

describe('POST /api/credentials/:id/test with data', () => {
  it('tests the edited values before saving, stores nothing, and never answers a secret', async () => {
    const id = await createCredential('Before save', 'http-bearer', { token: OLD_TOKEN, testUrl: `${target}/me` });
    const stored = await api('POST', `/api/credentials/${id}/test`);
    expect(stored.body).toMatchObject({ ok: false, message: expect.stringContaining('answered 401') });
    const edited = await api('POST', `/api/credentials/${id}/test`, { data: { token: NEW_TOKEN } });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.body).toEqual({ ok: true, message: expect.stringContaining('answered 200') });
    expect(edited.text).not.toContain(NEW_TOKEN);
    // Not saved: the stored token is still the old one.
    expect((await api('POST', `/api/credentials/${id}/test`)).body.ok).toBe(false);

    const invalid = await api('POST', `/api/credentials/${id}/test`, { data: { testUrl: 'ftp://example.com' } });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details).toEqual([expect.objectContaining({ path: ['data', 'testUrl'] })]);
  });

  it('documents both calls in the OpenAPI document (the test body is optional)', async () => {
    const doc = (await api('GET', '/api/openapi.json')).body;
    const patch = doc.paths['/api/credentials/{id}'].patch;
    expect(Object.keys(patch.requestBody.content['application/json'].schema.properties).sort()).toEqual(['data', 'name']);
    const test = doc.paths['/api/credentials/{id}/test'].post;
    expect(test.requestBody.required).toBe(false);
    expect(test.requestBody.content['application/json'].schema.properties.data).toBeDefined();
  });
});
