import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { expect, test } from './fixtures';
import { signIn } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test.beforeEach(async ({ page, app }) => {
  await signIn(page, app);
});

/** An n8n export: manual trigger → Edit Fields → Code → Google Sheets (which has no node here), with pinned data. */
const workflow = {
  name: 'Order totals from n8n',
  nodes: [
    { id: 'a', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    { id: 'b', name: 'Prices', type: 'n8n-nodes-base.set', typeVersion: 3.4, position: [220, 0],
      parameters: { assignments: { assignments: [{ id: '1', name: 'price', type: 'number', value: '21' }, { id: '2', name: 'who', type: 'string', value: "={{ $('Start').item.json.who }}" }] } } },
    { id: 'c', name: 'Total', type: 'n8n-nodes-base.code', typeVersion: 2, position: [440, 0],
      parameters: { jsCode: 'return $input.all().map((item) => ({ json: { total: item.json.price * 2 } }));' } },
    { id: 'd', name: 'Save to sheet', type: 'n8n-nodes-base.googleSheets', typeVersion: 4.5, position: [660, 0], parameters: { operation: 'append', sheetName: 'Totals' } },
  ],
  connections: {
    Start: { main: [[{ node: 'Prices', type: 'main', index: 0 }]] },
    Prices: { main: [[{ node: 'Total', type: 'main', index: 0 }]] },
    Total: { main: [[{ node: 'Save to sheet', type: 'main', index: 0 }]] },
  },
  pinData: { Start: [{ json: { who: 'Ada' } }] },
};

test('importing an n8n workflow shows the report before saving, then opens the inactive flow with a placeholder to rebuild', async ({ page }) => {
  const file = path.join(os.tmpdir(), `n8n-${Date.now()}.json`);
  fs.writeFileSync(file, JSON.stringify(workflow));
  await page.goto('/flows');
  await page.getByLabel('Import a flow file or an n8n workflow').setInputFiles(file);

  const dialog = page.getByRole('dialog', { name: /Import n8n workflow/ });
  await expect(dialog).toContainText('Order totals from n8n: 4 nodes');
  await expect(dialog).toContainText('1 not mapped');
  await expect(dialog).toContainText('Review before activating');
  const report = dialog.getByRole('table', { name: 'Import report' });
  await expect(report.getByRole('row', { name: /Save to sheet/ })).toContainText('Not mapped (placeholder)');
  await expect(report.getByRole('row', { name: /Prices/ })).toContainText('$node["start"].json');
  await expect(report.getByRole('row', { name: /Total/ })).toContainText('run once for all items');

  // Nothing is saved until Import is pressed.
  const before = await page.request.get('/api/flows');
  expect((await before.json()).some((f: { name: string }) => f.name === 'Order totals from n8n')).toBe(false);

  await dialog.getByRole('button', { name: 'Import as an inactive flow' }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  const flowId = page.url().split('/').pop()!;
  const flow = await (await page.request.get(`/api/flows/${flowId}`)).json();
  expect(flow.active).toBe(false);
  expect(flow.document.nodes.map((n: { type: string }) => n.type)).toEqual(['core.manual-trigger', 'core.set', 'core.code', 'core.placeholder']);
  const pins = await page.evaluate((id) => window.localStorage.getItem(`sy-pins:${id}`), flowId);
  expect(JSON.parse(pins ?? '{}')).toEqual({ start: { main: { who: 'Ada' } } });
  fs.rmSync(file);
});
