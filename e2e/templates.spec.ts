import { expect, localTest } from './fixtures';
import { signIn } from './helpers';
import { startAiFake, type AiFake } from '../nodes/ai/fake';

/** The product may call 127.0.0.1, so the AI provider credential reaches the local fake. */
const test = localTest();

test.use({ viewport: { width: 1440, height: 900 } });

let ai: AiFake;
test.beforeAll(async () => { ai = await startAiFake(); });
test.afterAll(async () => { await ai?.close(); });

test('a newcomer starts from a template: picks it on the flows page, maps its credentials in the wizard (creating one there), activates it and sees it run', async ({ page, app }) => {
  test.setTimeout(120_000);
  await signIn(page, app);
  await page.goto('/flows');
  await expect(page.getByRole('heading', { name: 'No flows yet' })).toBeVisible();
  const gallery = page.getByRole('region', { name: 'Start from a template' });
  await expect(gallery.locator('[data-template-id="webhook-transform-respond"]')).toBeVisible();

  await gallery.getByLabel('Search templates').fill('fallback');
  const card = gallery.locator('[data-template-id="llm-fallback-chain"]');
  await expect(card).toContainText('Needs: AI provider');
  await expect(gallery.locator('[data-template-id="webhook-transform-respond"]')).toHaveCount(0);
  await card.getByRole('link', { name: /^Use / }).click();

  // The template page: a read-only preview of its canvas, and the wizard.
  await expect(page.getByRole('heading', { level: 1, name: /LLM provider fallback chain/ })).toBeVisible();
  await expect(page.getByTestId('template-preview').locator('[data-testid="node-answer"]')).toBeVisible();
  const wizard = page.getByTestId('setup-wizard');
  await expect(wizard.locator('[data-slot="groq"]')).toBeVisible();

  // Slot 1: no credential of this kind exists yet: create one in place and test it.
  await expect(wizard.getByLabel('Credential for groq')).toContainText('No saved credential of this kind');
  await wizard.getByRole('button', { name: 'Create a new AI provider credential' }).click();
  const modal = page.getByRole('dialog', { name: 'New credential' });
  await modal.getByLabel('Name').fill('Local models');
  await modal.getByLabel('Provider').selectOption('custom');
  await modal.getByLabel('API key').fill(ai.apiKey!);
  await modal.getByLabel('Base URL').fill(ai.url);
  await modal.getByRole('button', { name: 'Save credential' }).click();
  await expect(modal).toHaveCount(0);
  await expect(wizard.getByLabel('Credential for groq')).toHaveValue(/.+/);
  await wizard.getByRole('button', { name: 'Test connection of Local models' }).click();
  await expect(wizard.getByRole('status').filter({ hasText: 'Works' })).toBeVisible();
  await wizard.getByRole('button', { name: 'Next' }).click();

  // Slots 2–4: the same credential, chosen explicitly each time (nothing is bound by guessing).
  for (const slot of ['together', 'ollama', 'huggingface']) {
    const select = wizard.getByLabel(`Credential for ${slot}`);
    await expect(select).toHaveValue('');
    await select.selectOption({ label: 'Local models' });
    await wizard.getByRole('button', { name: 'Next' }).click();
  }
  await expect(wizard.getByText('The flow is created turned off.')).toBeVisible();
  await wizard.getByRole('button', { name: 'Create flow' }).click();

  // The editor: the new flow, off until the newcomer turns it on.
  await expect(page).toHaveURL(/\/flows\/[^/]+$/);
  await expect(page.getByRole('textbox', { name: 'Flow name' })).toHaveValue('LLM fallback chain');
  const active = page.getByRole('switch', { name: 'Active' });
  await expect(active).not.toBeChecked();
  await expect(page.locator('.fnode-badge')).toHaveCount(0);
  await active.click();
  await expect(active).toBeChecked();

  ai.script({ kind: 'status', status: 503 });
  const answer = await page.request.post('/hooks/ask', { data: { prompt: 'Name a river in Kerala' } });
  expect(answer.status()).toBe(200);
  expect(await answer.json()).toMatchObject({ answer: 'reply: Name a river in Kerala', model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' });

  await page.goto('/flows');
  const row = page.locator('tr', { hasText: 'LLM fallback chain' });
  await expect(row.getByRole('switch')).toBeChecked();
  await expect(row.getByText('succeeded')).toBeVisible();
});

test('a template saved with a slot skipped marks the node on the canvas until a credential is chosen', async ({ page, app }) => {
  await signIn(page, app);
  await page.goto('/templates/daily-digest?setup=1');
  const wizard = page.getByTestId('setup-wizard');
  await wizard.getByRole('button', { name: 'Skip for now' }).click();
  await wizard.getByRole('button', { name: 'Skip for now' }).click();
  await expect(wizard.getByText('not set — marked in the editor')).toHaveCount(2);
  await wizard.getByRole('button', { name: 'Create flow' }).click();
  await expect(page).toHaveURL(/\/flows\/[^/]+$/);
  await expect(page.getByTestId('node-summarize')).toHaveAttribute('aria-label', /1 problem/);
  await expect(page.getByTestId('node-email')).toHaveAttribute('aria-label', /1 problem/);
  await expect(page.getByTestId('node-fetch')).not.toHaveAttribute('aria-label', /problem/);
});
