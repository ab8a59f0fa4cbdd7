/**
 * Captures the README screenshots into docs/screenshots/ (not a test; `*.spec.ts` only are tests):
 *   node --no-node-snapshot --conditions=switchyard-source --import tsx e2e/capture-screenshots.ts
 */
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startSwitchyard } from './fixtures.js';

const out = path.resolve('docs/screenshots');
const app = await startSwitchyard();
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
try {
  const context = await browser.newContext({ baseURL: app.baseURL, viewport: { width: 1440, height: 860 } });
  const page = await context.newPage();
  await page.request.post('/api/auth/login', { data: app.owner });
  const headers = { origin: app.baseURL };
  const flow = {
    format: 'switchyard/flow@1', name: 'Order follow-up',
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 100 }, label: 'New order', props: {} },
      { id: 'shape', type: 'core.set', typeVersion: 1, position: { x: 280, y: 100 }, label: 'Pick the fields', props: { fields: [{ name: 'customer', value: '{{ $json.customer }}' }], keepInput: true } },
      { id: 'big', type: 'core.if', typeVersion: 1, position: { x: 560, y: 100 }, label: 'Big order?', props: { conditions: [{ left: '{{ $json.total }}', operator: 'gt', right: 100 }] } },
      { id: 'pause', type: 'core.wait', typeVersion: 1, position: { x: 840, y: 20 }, label: 'Wait a bit', props: { mode: 'delay', amount: 20, unit: 'seconds' } },
      { id: 'thanks', type: 'core.set', typeVersion: 1, position: { x: 840, y: 200 }, label: 'Thank-you note', props: { fields: [{ name: 'note', value: 'Thanks!' }] } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'main', target: 'shape', targetHandle: 'main' },
      { id: 'e2', source: 'shape', sourceHandle: 'main', target: 'big', targetHandle: 'main' },
      { id: 'e3', source: 'big', sourceHandle: 'true', target: 'pause', targetHandle: 'main' },
      { id: 'e4', source: 'big', sourceHandle: 'false', target: 'thanks', targetHandle: 'main' },
    ],
  };
  const created = await (await page.request.post('/api/flows', { data: flow, headers })).json();
  await page.request.post('/api/flows', { data: { ...flow, name: 'Support inbox triage' }, headers });
  await page.request.post(`/api/flows/${created.id}/run`, { data: { input: { customer: 'Ada', total: 40 } }, headers });

  await page.goto('/flows');
  await page.getByRole('table').waitFor();
  await page.waitForSelector('[data-status]');
  await page.screenshot({ path: path.join(out, 'flows-list.png') });

  await page.goto(`/flows/${created.id}`);
  await page.getByTestId('node-big').waitFor();
  await page.getByRole('button', { name: '▶ Test run' }).click();
  await page.getByLabel('Trigger input (JSON)').fill('{ "customer": "Grace", "total": 250 }');
  await page.getByRole('button', { name: 'Run now' }).click();
  await page.waitForSelector('[data-testid="node-pause"][data-status="waiting"], [data-testid="node-pause"][data-status="running"]');
  await page.getByTestId('node-big').locator('.fnode-title').click();
  await page.getByRole('tab', { name: /Run data/ }).click();
  await page.waitForSelector('[data-testid="step-big"]');
  await page.screenshot({ path: path.join(out, 'editor-run-in-progress.png') });

  const list = await (await page.request.get(`/api/executions?flowId=${created.id}&status=succeeded`)).json();
  await page.goto(`/executions/${list[0].id}`);
  await page.getByRole('list', { name: 'Steps' }).getByRole('button').nth(2).click();
  await page.waitForSelector('[data-testid="step-big"]');
  await page.screenshot({ path: path.join(out, 'execution-detail.png'), fullPage: true });
  console.log('screenshots written to', out);
} finally {
  await browser.close();
  await app.stop();
}
