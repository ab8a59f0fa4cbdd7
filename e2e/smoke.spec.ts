import { expect, test } from './fixtures';

test('the home page shows the placeholder and /healthz is ok', async ({ page, request }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Switchyard');
  await expect(page.getByTestId('placeholder')).toContainText('the editor arrives in the next release');

  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true });
});
