import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PackedPlugin } from '@switchyard/sdk/manifest';
import { packPlugin } from '../../../plugins/sdk/src/pack.js';
import { createRuntime, type Runtime } from '../../../runtime/index.js';
import { testConfig } from '../../../runtime/testing/config.js';
import { serveTestApi, type Body, type TestApi } from '../test-api.server.js';

let runtime: Runtime;
let http: TestApi;
let packed: PackedPlugin;

beforeAll(async () => {
  [runtime, packed] = await Promise.all([
    createRuntime(testConfig()),
    packPlugin(fileURLToPath(new URL('../../../plugins/examples/text-utils', import.meta.url))),
  ]);
  http = await serveTestApi(runtime, 'plugins');
}, 60_000);

afterAll(async () => {
  await runtime?.close();
});

const api = (method: string, path: string, body?: unknown) => http.api(method, path, body);

describe('/api/plugins', () => {
  it('installs, approves, lists, serves the nodes and uninstalls', async () => {
    const installed = await api('POST', '/api/plugins', packed);
    expect(installed).toMatchObject({ status: 201, body: { name: 'text-utils', approved: false } });
    expect((await api('GET', '/api/nodes')).body.some((n: Body) => n.type === 'text-utils.slugify')).toBe(false);
    expect(await api('POST', '/api/plugins/text-utils/1.0.0/approve')).toMatchObject({ status: 200, body: { approved: true } });
    const nodes = (await api('GET', '/api/nodes')).body as Body[];
    expect(nodes.find((n) => n.type === 'text-utils.slugify')).toMatchObject({ version: 1, category: 'Text', ports: { out: ['main'] } });
    expect((await api('GET', '/api/plugins')).body).toEqual([expect.objectContaining({ name: 'text-utils', version: '1.0.0', approved: true })]);
    expect((await api('POST', '/api/plugins', packed)).status).toBe(409);
    expect(await api('DELETE', '/api/plugins/text-utils/1.0.0')).toMatchObject({ status: 204 });
    expect((await api('GET', '/api/plugins')).body).toEqual([]);
  });

  it('answers a bad package with 400 and the problems', async () => {
    const bad = await api('POST', '/api/plugins', { ...packed, integrity: `sha256-${'A'.repeat(43)}=` });
    expect(bad).toMatchObject({ status: 400, body: { error: { code: 'integrity_mismatch' } } });
    expect((await api('POST', '/api/plugins', { manifest: {} })).status).toBe(400);
    expect((await api('DELETE', '/api/plugins/nope/1.0.0')).status).toBe(404);
  });

  it('documents the routes in OpenAPI', async () => {
    const paths = Object.keys((await api('GET', '/api/openapi.json')).body.paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/plugins', '/api/plugins/{name}/{version}/approve', '/api/plugins/{name}/{version}', '/api/flows/{id}/upgrade-nodes']));
  });
});
