import path from 'node:path';
import os from 'node:os';
import fs from 'node:fs';
import { expect, test } from './fixtures';
import { dropNode, selectNode, signIn } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test.beforeEach(async ({ page, app }) => {
  await signIn(page, app);
});

test('importing a flow file with a problem shows what is wrong, in words', async ({ page }) => {
  const file = path.join(os.tmpdir(), `broken-${Date.now()}.flow.json`);
  fs.writeFileSync(file, JSON.stringify({
    format: 'switchyard/flow@1', name: 'Broken import',
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
      { id: 'mystery', type: 'core.does-not-exist', typeVersion: 1, position: { x: 240, y: 0 }, props: {} },
    ],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'main', target: 'mystery', targetHandle: 'main' }],
  }));
  await page.goto('/flows');
  await page.getByLabel('Import a flow file').setInputFiles(file);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not import');
  await expect(alert).toContainText('mystery');
  await expect(alert).toContainText(/unknown node type/);

  fs.writeFileSync(file, '{ not json');
  await page.getByLabel('Import a flow file').setInputFiles(file);
  await expect(page.getByRole('alert')).toContainText('is not a valid JSON file');
  fs.rmSync(file);
});

test('a credential created in the modal is used by a node and its secret is never shown back', async ({ page, request }) => {
  const secret = 'tok_e2e_super_secret_value';
  await page.goto('/flows/new');
  await dropNode(page, 'Manual trigger', 120, 200, 'manual-trigger');
  await dropNode(page, 'HTTP request', 420, 200, 'http-request');
  const inspector = await selectNode(page, 'http-request');
  await inspector.getByLabel('URL', { exact: true }).fill('https://example.com/api');
  await inspector.getByLabel('Authentication', { exact: true }).selectOption('__new__');
  const dialog = page.getByRole('dialog', { name: 'New credential' });
  await dialog.getByLabel('Type').selectOption('http-bearer');
  await dialog.getByLabel('Name', { exact: true }).fill('Shop API token');
  const secretInput = dialog.locator('input[type=password]').first();
  await secretInput.fill(secret);
  await dialog.getByRole('button', { name: 'Save credential' }).click();
  await expect(dialog).toBeHidden();
  await expect(inspector.getByLabel('Authentication', { exact: true })).toHaveValue(/.+/);
  await expect(inspector.getByLabel('Authentication', { exact: true }).locator('option:checked')).toHaveText('Shop API token');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('All changes saved')).toBeVisible();
  // The first save of a new flow moves the editor from /flows/new to /flows/<id>; wait for that
  // before reading the id and reloading (reloading /flows/new would open a blank canvas).
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  const flowId = page.url().split('/').pop()!;

  // Nowhere the browser can read does the secret come back: pages, the flow, the credential list.
  await page.reload();
  await selectNode(page, 'http-request');
  expect(await page.content()).not.toContain(secret);
  const flow = await page.request.get(`/api/flows/${flowId}`);
  expect(await flow.text()).not.toContain(secret);
  const list = await page.request.get('/api/credentials');
  expect(await list.text()).toContain('Shop API token');
  expect(await list.text()).not.toContain(secret);
  await page.goto('/credentials');
  await expect(page.getByRole('table', { name: 'Credentials' })).toContainText('Shop API token');
  expect(await page.content()).not.toContain(secret);

  // Deleting it while the flow uses it is refused with the flow named.
  await page.getByRole('button', { name: 'Delete' }).first().click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete credential' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not delete');
  void request;
});
