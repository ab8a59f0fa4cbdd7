import { expect, test } from './fixtures';

// The whole product in one pass: Remix pages from the build, the session API, and health.
test('the home page leads to sign-in, the owner signs in, and /healthz is ok', async ({ page, request, app }) => {
  const health = await request.get('/healthz');
  expect(health.status()).toBe(200);
  expect(await health.json()).toMatchObject({ ok: true });

  await page.goto('/');
  // The owner comes from SWITCHYARD_OWNER_EMAIL/PASSWORD, so there is no first-run setup.
  await expect(page).toHaveURL(/\/login/);
  await expect(page.getByRole('heading', { name: 'Sign in to Switchyard' })).toBeVisible();

  await page.getByLabel('Email').fill(app.owner.email);
  await page.getByLabel('Password').fill(app.owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/flows/);
});
