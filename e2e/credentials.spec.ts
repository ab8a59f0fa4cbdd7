import http from 'node:http';
import { expect, localTest } from './fixtures';
import { signIn } from './helpers';

const test = localTest();
test.use({ viewport: { width: 1440, height: 900 } });

const OLD_TOKEN = 'tok_e2e_old_rotated_away';
const NEW_TOKEN = 'tok_e2e_new_after_edit';

test('edit a credential\'s secret: same id, tested before saving, and the next run uses it', async ({ page, app }) => {
  // The fake API accepts only the new token; it records what each call sent.
  const seen: string[] = [];
  const fake = http.createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization}`);
    const ok = req.headers.authorization === `Bearer ${NEW_TOKEN}`;
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(ok ? '{"orders":3}' : '{"error":"bad token"}');
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const address = fake.address();
  const fakeUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  try {
    await signIn(page, app);
    // Session-cookie writes must name their origin (the API's CSRF rule), as the editor's fetches do.
    const headers = { origin: app.baseURL };
    const credential = await (await page.request.post('/api/credentials', { headers, data: {
      name: 'Shop API', kind: 'http-bearer', data: { token: OLD_TOKEN, testUrl: `${fakeUrl}/me` },
    } })).json();
    const created = await page.request.post('/api/flows', { headers, data: {
      format: 'switchyard/flow@1', name: 'Count orders',
      nodes: [
        { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
        { id: 'orders', type: 'core.http-request', typeVersion: 1, position: { x: 240, y: 0 }, props: { url: `${fakeUrl}/orders` }, credentials: { auth: 'shop' } },
      ],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'main', target: 'orders', targetHandle: 'main' }],
      credentials: { shop: { kind: 'http-bearer', id: credential.id } },
    } });
    expect(created.status(), await created.text()).toBe(201);
    const flowId = (await created.json()).id as string;
    const run = async () => {
      const { executionId } = await (await page.request.post(`/api/flows/${flowId}/run`, { headers, data: { input: {} } })).json();
      let status = 'queued';
      await expect.poll(async () => {
        status = (await (await page.request.get(`/api/executions/${executionId}`)).json()).status;
        return ['succeeded', 'failed'].includes(status);
      }, { timeout: 20_000 }).toBe(true);
      return status;
    };
    // With the old token the API refuses, so the run fails.
    expect(await run()).toBe('failed');

    await page.goto('/credentials');
    await page.getByRole('button', { name: 'Edit Shop API' }).click();
    const dialog = page.getByRole('dialog', { name: 'Edit credential' });
    const token = dialog.getByLabel('Token', { exact: true });
    // The stored token is shown as set, never filled in; the plain field shows its value.
    await expect(dialog).toContainText('Set. Leave empty to keep it');
    await expect(token).toHaveValue('');
    await expect(token).toHaveAttribute('type', 'password');
    await expect(dialog.getByLabel('Test URL (optional)', { exact: true })).toHaveValue(`${fakeUrl}/me`);

    // "Test connection" before typing tries the stored token; after typing, the typed one.
    const test = dialog.getByRole('button', { name: 'Test connection of Shop API' });
    await test.click();
    await expect(dialog.getByRole('status')).toContainText('Failed');
    await token.fill(NEW_TOKEN);
    await test.click();
    await expect(dialog.getByRole('status')).toContainText('Works');
    await dialog.getByLabel('Name', { exact: true }).fill('Shop API (rotated)');
    await dialog.getByRole('button', { name: 'Save changes' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('table', { name: 'Credentials' })).toContainText('Shop API (rotated)');

    // Same credential (one, same id), the flow still bound to it, and the next run sends the new token.
    const list = await (await page.request.get('/api/credentials')).json();
    expect(list.map((c: { id: string; name: string }) => [c.id, c.name])).toEqual([[credential.id, 'Shop API (rotated)']]);
    expect(await run()).toBe('succeeded');
    expect(seen.filter((s) => s.startsWith('/orders'))).toEqual([`/orders Bearer ${OLD_TOKEN}`, `/orders Bearer ${NEW_TOKEN}`]);

    // Neither token ever reached the browser's pages.
    await page.getByRole('button', { name: 'Edit Shop API (rotated)' }).click();
    await expect(page.getByRole('dialog', { name: 'Edit credential' }).getByLabel('Token', { exact: true })).toHaveValue('');
    const content = await page.content();
    expect(content).not.toContain(NEW_TOKEN);
    expect(content).not.toContain(OLD_TOKEN);
    expect(await (await page.request.get(`/api/credentials/${credential.id}`)).text()).not.toContain(NEW_TOKEN);
  } finally {
    fake.close();
  }
});
