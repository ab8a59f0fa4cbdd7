import { startAiFake, type AiFake } from '../nodes/ai/fake';
import { expect, localTest } from './fixtures';
import { signIn } from './helpers';

/** The product may call 127.0.0.1, so the AI provider credential reaches the local OpenAI fake. */
const test = localTest();

let fake: AiFake;
test.beforeAll(async () => { fake = await startAiFake(); });
test.afterAll(async () => { await fake?.close(); });

test.use({ viewport: { width: 1440, height: 900 } });

test('AI steps\' tokens and cost show per flow, per model and in today\'s bar; a model without a price shows "no price"', async ({ page, app }) => {
  test.setTimeout(150_000);
  fake.onChat(() => ({ kind: 'answer', content: 'Hello!', usage: { prompt: 1000, completion: 500 } }));
  await signIn(page, app);
  await page.goto('/');
  await page.getByRole('link', { name: 'Usage' }).click();
  await expect(page.getByRole('heading', { name: 'Usage', level: 1 })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'No AI usage in this range' })).toBeVisible();

  const headers = { origin: app.baseURL };
  expect((await page.request.put('/api/ai/prices', { headers, data: { prices: [{ model: 'fake-chat', input: 2, output: 8 }] } })).status()).toBe(200);
  const credential = await (await page.request.post('/api/credentials', { headers, data: {
    name: 'Fake AI', kind: 'ai-provider', data: { preset: 'openai', baseUrl: fake.url, apiKey: fake.apiKey },
  } })).json();
  const chatFlow = async (name: string, model: string): Promise<string> => {
    const created = await page.request.post('/api/flows', { headers, data: {
      format: 'switchyard/flow@1', name,
      nodes: [
        { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
        { id: 'reply', type: 'ai.chat', typeVersion: 1, position: { x: 260, y: 0 }, credentials: { provider: 'ai' },
          props: { prompt: 'Say hello to {{ $json.name }}', chain: [{ credential: 'provider', model, timeoutMs: 10000 }] } },
      ],
      edges: [{ id: 'e1', source: 'start', sourceHandle: 'main', target: 'reply', targetHandle: 'main' }],
      credentials: { ai: { kind: 'ai-provider', id: credential.id } },
    } });
    expect(created.status(), await created.text()).toBe(201);
    return (await created.json()).id;
  };
  const greeter = await chatFlow('Greeter', 'fake-chat');
  const local = await chatFlow('Local model greeter', 'unlisted-model');
  for (const flowId of [greeter, greeter, local]) {
    const started = await (await page.request.post(`/api/flows/${flowId}/run`, { headers, data: { input: { name: 'Asha' } } })).json();
    await expect.poll(async () => (await (await page.request.get(`/api/executions/${started.executionId}`)).json()).status, { timeout: 30_000 }).toBe('succeeded');
  }

  await page.reload();
  // Two priced steps: 2 × (1000 × $2/M + 500 × $8/M) = $0.012; the unpriced one adds tokens only.
  const totals = page.getByRole('list', { name: 'Totals' });
  await expect(totals).toContainText('4,500 tokens');
  await expect(totals).toContainText('$0.012 + 1 step with no price');

  const flows = page.getByRole('table', { name: 'Usage per flow' });
  const greeterRow = flows.locator(`tr[data-flow-id="${greeter}"]`);
  await expect(greeterRow).toContainText('Greeter');
  await expect(greeterRow.locator('td')).toHaveText(['Greeter', '2', '2,000', '1,000', '3,000', '$0.012']);
  await expect(flows.locator(`tr[data-flow-id="${local}"] td`)).toHaveText(['Local model greeter', '1', '1,000', '500', '1,500', 'no price']);

  const models = page.getByRole('table', { name: 'Usage per provider and model' });
  await expect(models.locator('tr[data-model="fake-chat"] td')).toHaveText(['openai', 'fake-chat', '2', '2,000', '1,000', '3,000', '$0.012']);
  await expect(models.locator('tr[data-model="unlisted-model"] td').last()).toHaveText('no price');

  const today = new Date().toISOString().slice(0, 10);
  const chart = page.getByRole('img', { name: 'Tokens per day' });
  const bar = chart.locator(`rect[data-day="${today}"]`);
  await expect(bar).toHaveAttribute('data-tokens', '4500');
  expect(Number(await bar.getAttribute('height'))).toBeGreaterThan(100);
  await page.getByLabel('Chart shows').selectOption('cost');
  await expect(page.getByRole('img', { name: 'Cost per day' }).locator(`rect[data-day="${today}"]`)).toHaveAttribute('data-cost', '0.012');

  // One flow, kept in the URL.
  await page.getByLabel('Filter by flow').selectOption(local);
  await expect(page).toHaveURL(new RegExp(`flow=${local}`));
  await expect(totals).toContainText('1,500 tokens');
  await expect(flows.locator('tbody tr')).toHaveCount(1);
  await page.reload();
  await expect(page.getByLabel('Filter by flow')).toHaveValue(local);
  await expect(page.getByRole('list', { name: 'Totals' })).toContainText('no price');
});
