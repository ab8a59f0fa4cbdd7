import { expect, test } from './fixtures';

test('pages need a session: / leads to sign-in, may not be framed, and /healthz is ok', async ({ page, request }) => {
  const response = await page.goto('/');
  await expect(page).toHaveURL(/\/login/);
  // No other site may frame the app (clickjacking).
  expect(response?.headers()).toMatchObject({ 'x-frame-options': 'DENY', 'content-security-policy': "frame-ancestors 'none'" });
  await expect(page.getByRole('heading', { name: 'Sign in to Switchyard' })).toBeVisible();

  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true });
});
