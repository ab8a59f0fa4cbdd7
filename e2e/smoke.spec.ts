import { expect, test } from './fixtures';

test('pages need a session: / leads to sign-in, and /healthz is ok', async ({ page, request }) => {
  await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { name: 'Sign in to Switchyard' })).toBeVisible();

  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true });
});
