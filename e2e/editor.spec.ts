import { expect, test } from './fixtures';
import { connect, dropNode, edgeCount, selectNode, signIn } from './helpers';

test.use({ viewport: { width: 1440, height: 900 } });

test.beforeEach(async ({ page, app }) => {
  await signIn(page, app);
});

test('build webhook → If → two Respond nodes by drag and drop, activate, call it, inspect both branches', async ({ page, request }) => {
  test.setTimeout(90_000);
  await page.goto('/flows');
  await page.getByRole('link', { name: 'New flow' }).click();
  await expect(page.getByText('Start with a trigger')).toBeVisible();

  await dropNode(page, 'Webhook', 110, 260, 'webhook');
  await dropNode(page, 'If', 360, 260, 'if');
  await dropNode(page, 'Respond', 610, 140, 'respond');
  await dropNode(page, 'Respond', 610, 400, 'respond-2');

  await connect(page, 'webhook', 'main', 'if');
  await connect(page, 'if', 'true', 'respond');
  await connect(page, 'if', 'false', 'respond-2');
  await expect.poll(() => edgeCount(page)).toBe(3);

  // Webhook: path and "answer from a Respond node".
  let inspector = await selectNode(page, 'webhook');
  await inspector.getByLabel('Path', { exact: true }).fill('orders');
  await inspector.getByLabel('Respond', { exact: true }).selectOption('respondNode');

  // If: the value is an expression on the request body; the preview explains it needs a run.
  inspector = await selectNode(page, 'if');
  await inspector.getByRole('button', { name: 'Value: use an expression' }).click();
  await inspector.getByLabel('Value', { exact: true }).fill('{{ $json.body.kind }}');
  await expect(inspector.getByTestId('expression-preview')).toContainText('run the flow once');
  await inspector.getByLabel('Compare to', { exact: true }).fill('vip');

  for (const [id, label, branch] of [['respond', 'VIP answer', 'vip'], ['respond-2', 'Regular answer', 'regular']] as const) {
    inspector = await selectNode(page, id);
    await inspector.getByLabel('Node label', { exact: true }).fill(label);
    await inspector.getByRole('button', { name: 'Body: use a fixed value' }).click();
    await inspector.getByLabel('Body', { exact: true }).fill(`{"branch": "${branch}"}`);
  }
  await expect(page.getByTestId('node-respond')).toContainText('VIP answer');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByText('All changes saved')).toBeVisible();
  const flowId = page.url().split('/').pop()!;

  // A controlled switch: it turns on once the server has activated the flow.
  await page.getByRole('switch', { name: 'Active' }).click();
  await expect(page.getByRole('switch', { name: 'Active' })).toBeChecked();

  // Listen for a real call from the run dialog: once it arrives, its run shows on the canvas.
  await page.getByRole('button', { name: /Test run/ }).click();
  const dialog = page.getByRole('dialog', { name: 'Test run' });
  await dialog.getByRole('tab', { name: 'Listen for a test webhook call' }).click();
  await expect(dialog.getByLabel('Send a request to this address')).toHaveValue(/\/hooks\/orders$/);
  await dialog.getByRole('button', { name: 'Listen for a test call' }).click();
  await expect(dialog.getByText(/^Listening…/)).toBeVisible();

  const vip = await request.post('/hooks/orders', { data: { kind: 'vip' } });
  expect(vip.status()).toBe(200);
  expect(await vip.json()).toEqual({ branch: 'vip' });
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('node-respond')).toHaveAttribute('data-status', 'succeeded');
  await expect(page.getByTestId('node-respond-2')).toHaveAttribute('data-status', 'skipped');

  // Pin the VIP answer's output from its run data: the node shows it is pinned.
  inspector = await selectNode(page, 'respond');
  await inspector.getByRole('tab', { name: /Run data/ }).click();
  await inspector.getByRole('button', { name: 'Pin output' }).click();
  await expect(inspector.getByRole('region', { name: 'Pinned output' })).toBeVisible();
  await expect(page.getByTestId('node-pinned')).toHaveCount(1);
  const regular = await request.post('/hooks/orders', { data: { kind: 'other' } });
  expect(await regular.json()).toEqual({ branch: 'regular' });

  await page.getByRole('link', { name: 'Executions' }).click();
  await page.getByLabel('Filter by flow').selectOption(flowId);
  const rows = page.getByRole('table', { name: 'Executions' }).locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.locator('[data-status="succeeded"]')).toHaveCount(2);

  // The older run (the VIP call) went through the true branch.
  await rows.nth(1).getByRole('link').first().click();
  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.getByRole('button')).toHaveCount(3);
  await expect(steps).toContainText('VIP answer');
  await steps.getByRole('button', { name: /webhook/ }).click();
  await expect(page.getByTestId('step-webhook')).toContainText('"vip"');
  await page.goBack();
  await rows.nth(0).getByRole('link').first().click();
  await expect(page.getByRole('list', { name: 'Steps' })).toContainText('Regular answer');
});

test('refuses a connection into a trigger and explains why', async ({ page }) => {
  await page.goto('/flows/new');
  await dropNode(page, 'Manual trigger', 120, 200, 'manual-trigger');
  await dropNode(page, 'Set fields', 420, 200, 'set');
  await connect(page, 'manual-trigger', 'main', 'set');
  await expect.poll(() => edgeCount(page)).toBe(1);
  // From Set's output back into the trigger: refused with a reason.
  const source = page.locator('[data-testid="node-set"] .react-flow__handle.source');
  const target = page.locator('[data-testid="node-manual-trigger"] .react-flow__handle.source');
  const a = (await source.boundingBox())!;
  const b = (await target.boundingBox())!;
  await page.mouse.move(a.x + 5, a.y + 5);
  await page.mouse.down();
  await page.mouse.move(b.x + 5, b.y + 5, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('toast')).toContainText(/output|trigger/);
  expect(await edgeCount(page)).toBe(1);
});

test('undo and redo node additions, moves and deletes', async ({ page }) => {
  await page.goto('/flows/new');
  await dropNode(page, 'Manual trigger', 120, 200, 'manual-trigger');
  await dropNode(page, 'Code', 420, 200, 'code');
  await connect(page, 'manual-trigger', 'main', 'code');
  await expect.poll(() => edgeCount(page)).toBe(1);

  await page.getByTestId('canvas').click({ position: { x: 600, y: 500 } });
  await page.keyboard.press('Control+z');
  await expect.poll(() => edgeCount(page)).toBe(0);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('node-code')).toHaveCount(0);
  await page.keyboard.press('Control+y');
  await expect(page.getByTestId('node-code')).toBeVisible();
  await page.keyboard.press('Control+Shift+z');
  await expect.poll(() => edgeCount(page)).toBe(1);

  await page.getByTestId('node-code').locator('.fnode-title').click();
  await page.keyboard.press('Delete');
  await expect(page.getByTestId('node-code')).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('node-code')).toBeVisible();
  await expect.poll(() => edgeCount(page)).toBe(1);
  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(page.getByTestId('node-code')).toHaveCount(0);
});

test('a label with markup renders as text, never as HTML', async ({ page }) => {
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; void d.dismiss(); });
  await page.goto('/flows/new');
  await dropNode(page, 'Manual trigger', 160, 200, 'manual-trigger');
  const inspector = await selectNode(page, 'manual-trigger');
  const evil = '<img src=x onerror=alert(1)>';
  await inspector.getByLabel('Node label', { exact: true }).fill(evil);
  await page.getByLabel('Flow name').fill(evil);
  const node = page.getByTestId('node-manual-trigger');
  await expect(node.locator('.fnode-title')).toHaveText(evil);
  await expect(node.locator('img')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('All changes saved')).toBeVisible();
  await page.goto('/flows');
  await expect(page.getByRole('link', { name: evil })).toBeVisible();
  await expect(page.locator('main img, table img')).toHaveCount(0);
  expect(dialogs).toBe(0);
});

test('opening a flow fits it beside the inspector: clicking a node hides none of the flow behind the panel', async ({ page, app }) => {
  const headers = { origin: app.baseURL };
  const node = (id: string, x: number, y: number) => ({ id, type: 'core.set', typeVersion: 1, position: { x, y }, props: {} });
  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Wide flow',
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 100 }, props: {} },
      node('two', 280, 100), node('three', 560, 100), node('four', 840, 20), node('last', 1120, 200),
    ],
    edges: [['start', 'two'], ['two', 'three'], ['three', 'four'], ['three', 'last']]
      .map(([source, target], i) => ({ id: `e${i}`, source, sourceHandle: 'main', target, targetHandle: 'main' })),
  } });
  expect(created.status(), await created.text()).toBe(201);
  await page.goto(`/flows/${(await created.json()).id}`);
  await expect(page.getByTestId('node-last')).toBeVisible();
  const inspector = await selectNode(page, 'start');
  // The right-most node ends left of the inspector, and the left-most starts inside the canvas.
  await expect.poll(async () => {
    const [last, panel, first, canvas] = await Promise.all([
      page.getByTestId('node-last').boundingBox(), inspector.boundingBox(), page.getByTestId('node-start').boundingBox(), page.getByTestId('canvas').boundingBox(),
    ]);
    return !!last && !!panel && !!first && !!canvas && last.x + last.width <= panel.x && first.x >= canvas.x;
  }).toBe(true);
});

test('a long loop\'s execution lists its first 1,000 steps and shows more on request; the canvas shows how often a node ran', async ({ page, app }) => {
  test.setTimeout(90_000);
  const headers = { origin: app.baseURL };
  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Long loop',
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
      { id: 'each', type: 'core.for-each', typeVersion: 1, position: { x: 240, y: 0 }, props: { items: '{{ $json.items }}', concurrency: 10 } },
      { id: 'double', type: 'core.set', typeVersion: 1, position: { x: 480, y: 0 }, props: { fields: [{ name: 'n', value: '{{ $json * 2 }}' }] } },
      { id: 'gather', type: 'core.collect', typeVersion: 1, position: { x: 720, y: 0 }, props: {} },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'main', target: 'each', targetHandle: 'main' },
      { id: 'e2', source: 'each', sourceHandle: 'item', target: 'double', targetHandle: 'main' },
      { id: 'e3', source: 'double', sourceHandle: 'main', target: 'gather', targetHandle: 'main' },
    ],
  } });
  expect(created.status(), await created.text()).toBe(201);
  const flowId = (await created.json()).id as string;
  const items = Array.from({ length: 1200 }, (_, i) => i);
  const { executionId } = await (await page.request.post(`/api/flows/${flowId}/run`, { headers, data: { input: { items } } })).json();
  await expect.poll(async () => (await (await page.request.get(`/api/executions/${executionId}?steps=none`)).json()).status, { timeout: 30_000 }).toBe('succeeded');

  await page.goto(`/executions/${executionId}`);
  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.locator('.step-row')).toHaveCount(1000);
  await expect(steps).toContainText('Showing 1,000 of 1,203 steps.');
  await steps.getByRole('button', { name: 'Show more' }).click();
  await expect(steps.locator('.step-row')).toHaveCount(1203);
  await expect(steps.getByRole('button', { name: 'Show more' })).toHaveCount(0);
  // The last step is the Collect with every item doubled.
  await steps.locator('.step-row').last().click();
  await expect(page.getByTestId('step-gather')).toContainText('2398');

  // A test run from the editor: the loop's body shows how many times it ran.
  await page.goto(`/flows/${flowId}`);
  await page.getByRole('button', { name: /Test run/ }).click();
  await page.getByLabel('Trigger input (JSON)').fill(JSON.stringify({ items: Array.from({ length: 30 }, (_, i) => i) }));
  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByTestId('node-gather')).toHaveAttribute('data-status', 'succeeded', { timeout: 20_000 });
  await expect(page.getByTestId('node-runs-double')).toHaveText(' · ×30');
  await expect(page.getByTestId('node-runs-each')).toHaveCount(0);
});
