import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { serveTestApi, type TestApi } from './test-api.server.js';

/** The template API end to end over HTTP (no worker: nothing here runs a flow; the templates' own tests do). */
let runtime: Runtime;
let http: TestApi;

beforeAll(async () => {
  runtime = await createRuntime(testConfig());
  http = await serveTestApi(runtime, 'templates-api');
});
afterAll(async () => {
  await runtime?.close();
});

const api = (method: string, path: string, body?: unknown, raw = false) => http.api(method, path, body, { raw });

/** A flow that calls an API with a bearer token: one credential slot. */
const apiCaller = {
  format: 'switchyard/flow@1', name: 'Call the status API',
  nodes: [
    { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
    { id: 'call', type: 'core.http-request', typeVersion: 1, position: { x: 240, y: 0 }, props: { url: 'http://127.0.0.1:9/status', method: 'GET' }, credentials: { auth: 'status-api' } },
  ],
  edges: [{ id: 'e1', source: 'start', target: 'call' }],
  credentials: { 'status-api': { kind: 'http-bearer', name: 'Status API' } },
};

describe('templates over HTTP', () => {
  let teamId: string;

  it('lists the shipped templates with categories, filters by search and category, and 404s an unknown id', async () => {
    const all = await api('GET', '/api/templates');
    expect(all.status).toBe(200);
    expect(all.body.categories).toContain('Getting started');
    // The hello world leads, so the flows page's first few cards always include it.
    expect(all.body.templates[0]).toMatchObject({ id: 'webhook-transform-respond', category: 'Getting started' });
    const hello = all.body.templates.find((t: { id: string }) => t.id === 'webhook-transform-respond');
    expect(hello).toMatchObject({ source: 'shipped', category: 'Getting started', nodeTypes: expect.arrayContaining(['core.webhook', 'core.respond']), credentials: {} });

    expect((await api('GET', '/api/templates?search=RESPOND')).body.templates.map((t: { id: string }) => t.id)).toContain('webhook-transform-respond');
    expect((await api('GET', '/api/templates?search=no-such-words-anywhere')).body.templates).toEqual([]);
    expect((await api('GET', '/api/templates?category=Team')).body.templates).toEqual([]);

    const detail = await api('GET', '/api/templates/webhook-transform-respond');
    expect(detail.body.flow.format).toBe('switchyard/flow@1');
    expect(detail.body.flow.nodes.map((n: { id: string }) => n.id)).toEqual(['hook', 'shape', 'total', 'reply']);
    const missing = await api('GET', '/api/templates/no-such-template');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('exports a flow as a template file without credential ids, and saves it for the team', async () => {
    const token = await api('POST', '/api/credentials', { kind: 'http-bearer', name: 'Prod token', data: { token: 'secret-token-value' } });
    const flow = await api('POST', '/api/flows', { ...apiCaller, credentials: { 'status-api': { kind: 'http-bearer', name: 'Status API', id: token.body.id } } });
    expect(flow.status).toBe(201);

    const exported = await api('POST', '/api/templates/export', { flowId: flow.body.id, title: 'Status check', description: 'Calls the status API', help: { 'status-api': 'A token from the status page settings' } });
    expect(exported.status).toBe(200);
    expect(exported.body.flow.credentials).toEqual({ 'status-api': { kind: 'http-bearer', name: 'Status API' } });
    expect(exported.text).not.toContain(token.body.id);
    expect(exported.text).not.toContain('secret-token-value');
    expect(exported.body.template).toMatchObject({
      format: 'switchyard/template@1', credentials: { 'status-api': { kind: 'http-bearer', help: 'A token from the status page settings' } },
      nodeVersions: { 'core.manual-trigger': 1, 'core.http-request': 1 },
    });

    const saved = await api('POST', '/api/templates', { ...exported.body, template: { ...exported.body.template, category: 'Ops' } });
    expect(saved.status).toBe(201);
    expect(saved.body).toMatchObject({ source: 'team', category: 'Team', title: 'Status check' });
    teamId = saved.body.id;
    expect((await api('GET', '/api/templates?category=team')).body.templates.map((t: { id: string }) => t.id)).toEqual([teamId]);
  });

  it('imports inactive with only the slots the caller mapped; an unmapped slot is named, never bound by guessing', async () => {
    // One credential of the slot's kind exists: a guessing import would bind it. This one must not.
    const unmapped = await api('POST', `/api/templates/${teamId}/import`, {});
    expect(unmapped.status).toBe(201);
    expect(unmapped.body.unmapped).toEqual([{ slot: 'status-api', kind: 'http-bearer', help: 'A token from the status page settings' }]);
    expect(unmapped.body.flow.active).toBe(false);
    const stored = await api('GET', `/api/flows/${unmapped.body.flowId}`);
    expect(stored.body.document.credentials['status-api'].id).toBeUndefined();

    const credentials = (await api('GET', '/api/credentials')).body as { id: string; kind: string }[];
    const bearer = credentials.find((c) => c.kind === 'http-bearer')!;
    const mapped = await api('POST', `/api/templates/${teamId}/import`, { credentials: { 'status-api': bearer.id }, name: 'My status check' });
    expect(mapped.status).toBe(201);
    expect(mapped.body.unmapped).toEqual([]);
    const flow = (await api('GET', `/api/flows/${mapped.body.flowId}`)).body;
    expect(flow).toMatchObject({ name: 'My status check', active: false });
    expect(flow.document.credentials['status-api']).toEqual({ kind: 'http-bearer', name: 'Status API', id: bearer.id });
  });

  it('refuses a credential of the wrong kind, an unknown credential and an unknown slot, naming the slot', async () => {
    const basic = await api('POST', '/api/credentials', { kind: 'http-basic', name: 'Basic', data: { username: 'u', password: 'p' } });
    expect(basic.status).toBe(201);
    const wrongKind = await api('POST', `/api/templates/${teamId}/import`, { credentials: { 'status-api': basic.body.id } });
    expect(wrongKind.status).toBe(400);
    expect(wrongKind.body.error).toMatchObject({ code: 'credential_kind_mismatch', message: 'slot "status-api" needs a "http-bearer" credential, but "Basic" is "http-basic"' });
    expect(wrongKind.body.error.details[0].path).toEqual(['credentials', 'status-api']);

    const unknown = await api('POST', `/api/templates/${teamId}/import`, { credentials: { 'status-api': 'nope' } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain('slot "status-api": no credential "nope"');

    const ghost = await api('POST', `/api/templates/${teamId}/import`, { credentials: { ghost: basic.body.id } });
    expect(ghost.status).toBe(400);
    expect(ghost.body.error).toMatchObject({ code: 'unknown_slot', message: expect.stringContaining('no credential slot "ghost" (slots: status-api)') });

    expect((await api('POST', `/api/templates/${teamId}/import`, { credentials: 'all' })).status).toBe(400);
  });

  it('refuses team template files that are unsafe, inconsistent or written for nodes this installation lacks', async () => {
    const exported = (await api('GET', `/api/templates/${teamId}`)).body;
    const file = { template: { format: 'switchyard/template@1', title: 'x', description: 'y', category: 'Team', credentials: { 'status-api': { kind: 'http-bearer', help: 'h' } }, nodeVersions: { 'core.manual-trigger': 1, 'core.http-request': 1 } }, flow: exported.flow };

    const notJson = await api('POST', '/api/templates', '{ "template": ', true);
    expect(notJson.status).toBe(400);

    // Express's JSON parser already refuses `__proto__`; `constructor` gets to the untrusted-JSON gate.
    const proto = await api('POST', '/api/templates', `{"template": {"__proto__": {"x": 1}}, "flow": ${JSON.stringify(exported.flow)}}`, true);
    expect(proto.status).toBe(400);
    const ctor = await api('POST', '/api/templates', { template: file.template, flow: { ...file.flow, nodes: [{ ...file.flow.nodes[0], props: { constructor: { prototype: 1 } } }] } });
    expect(ctor.status).toBe(400);
    expect(ctor.body.error).toMatchObject({ code: 'invalid_document', message: 'the key "constructor" is not allowed (at flow.nodes[0].props.constructor)' });

    const mismatch = await api('POST', '/api/templates', { ...file, template: { ...file.template, credentials: { 'status-api': { kind: 'http-basic', help: 'h' } } } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error).toMatchObject({ code: 'invalid_template', message: expect.stringContaining('"status-api" is "http-bearer" in flow.json but "http-basic" in template.json') });

    const future = {
      template: { ...file.template, nodeVersions: { 'core.manual-trigger': 1, 'core.http-request': 1, 'acme.weather': 3 } },
      flow: { ...file.flow, nodes: [...file.flow.nodes, { id: 'weather', type: 'acme.weather', typeVersion: 3, position: { x: 0, y: 200 }, props: {} }] },
    };
    const outdated = await api('POST', '/api/templates', future);
    expect(outdated.status).toBe(400);
    expect(outdated.body.error).toMatchObject({ code: 'template_outdated', message: 'node "weather" uses acme.weather version 3, which is not installed (a plugin may provide it)' });

    const old = { template: { ...file.template, nodeVersions: { 'core.manual-trigger': 1, 'core.http-request': 0 } }, flow: file.flow };
    expect((await api('POST', '/api/templates', old)).body.error.code).toBe('validation_failed');
  });

  it('deletes a team template; a shipped one cannot be deleted', async () => {
    expect((await api('DELETE', `/api/templates/${teamId}`)).status).toBe(204);
    expect((await api('GET', `/api/templates/${teamId}`)).status).toBe(404);
    expect((await api('DELETE', '/api/templates/webhook-transform-respond')).status).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const paths = (await api('GET', '/api/openapi.json')).body.paths;
    expect(Object.keys(paths)).toEqual(expect.arrayContaining(['/api/templates', '/api/templates/{id}', '/api/templates/{id}/import', '/api/templates/export']));
  });
});
