import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { packPlugin } from '../plugins/sdk/src/pack';
import { expect, localTest } from './fixtures';
import { signIn } from './helpers';

const test = localTest();

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');


test('install the weather plugin from the Plugins page, approve it, and run its node in a flow', async ({ page, app }) => {
  const seen: string[] = [];
  const fake = http.createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization}`);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ city: 'Porto', days: [{ date: '2026-06-01', highC: 24, lowC: 16, summary: 'clouds' }] }));
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const address = fake.address();
  const fakeUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const file = path.join(os.tmpdir(), `acme-weather-${Date.now()}.switchyard-plugin.json`);
  fs.writeFileSync(file, JSON.stringify(await packPlugin(path.join(root, 'plugins/examples/weather'))));

  try {
    await signIn(page, app);
    await page.goto('/plugins');
    await expect(page.getByText('No plugins installed')).toBeVisible();
    await page.getByLabel('Plugin package file').setInputFiles(file);

    const dialog = page.getByRole('dialog', { name: /Approve acme-weather 1\.0\.0/ });
    await expect(dialog).toContainText('api.acme-weather.test, 127.0.0.1');
    await expect(dialog).toContainText('http-bearer');
    await dialog.getByRole('button', { name: 'Approve permissions' }).click();
    const row = page.locator('tr[data-plugin="acme-weather@1.0.0"]');
    await expect(row).toContainText('Approved');

    const nodes = await (await page.request.get('/api/nodes')).json();
    expect(nodes.some((n: { type: string }) => n.type === 'acme-weather.forecast')).toBe(true);

    // Session-cookie writes must name their origin (the API's CSRF rule), as the editor's fetches do.
    const headers = { origin: app.baseURL };
    const credential = await (await page.request.post('/api/credentials', { headers, data: { name: 'Acme key', kind: 'http-bearer', data: { token: 'e2e-key' } } })).json();
    const created = await page.request.post('/api/flows', { headers, data: {
      format: 'switchyard/flow@1', name: 'Porto weather',
      nodes: [
        { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
        { id: 'weather', type: 'acme-weather.forecast', typeVersion: 1, position: { x: 240, y: 0 }, props: { city: 'Porto', days: 1, baseUrl: fakeUrl }, credentials: { api: 'acme' } },
      ],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'main', target: 'weather', targetHandle: 'main' }],
      credentials: { acme: { kind: 'http-bearer', id: credential.id } },
    } });
    expect(created.status(), await created.text()).toBe(201);
    const flowId = (await created.json()).id as string;
    const { executionId } = await (await page.request.post(`/api/flows/${flowId}/run`, { headers, data: { input: {} } })).json();
    let record: { status: string; steps: { nodeId: string; output: unknown }[] } = { status: 'queued', steps: [] };
    await expect.poll(async () => {
      record = await (await page.request.get(`/api/executions/${executionId}`)).json();
      return record.status;
    }, { timeout: 20_000 }).toBe('succeeded');
    expect(record.steps.find((s) => s.nodeId === 'weather')?.output).toEqual({ main: { city: 'Porto', days: [{ date: '2026-06-01', highC: 24, lowC: 16, summary: 'clouds' }] } });
    expect(seen).toEqual(['/v1/forecast?city=Porto&days=1 Bearer e2e-key']);

    // The editor shows the plugin node like a built-in one.
    await page.goto(`/flows/${flowId}`);
    await expect(page.getByTestId('node-weather')).toContainText('Weather forecast');
  } finally {
    fake.close();
    fs.rmSync(file, { force: true });
  }
});
