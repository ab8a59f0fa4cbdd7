import { expect, test } from './fixtures';
import { startSwitchyard } from './fixtures';

test('sign in with the owner account, then sign out', async ({ page, app }) => {
  await page.goto('/executions');
  await expect(page).toHaveURL(/\/login\?next=%2Fexecutions/);
  await page.getByLabel('Email').fill(app.owner.email);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Password').fill(app.owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/executions$/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto('/flows');
  await expect(page).toHaveURL(/\/login/);
});

test('signing in never sends the browser to another site, however the destination is disguised', async ({ page, app }) => {
  // The browser reads `/\evil.example` as `//evil.example`, another host.
  await page.goto('/login?next=%2F%5Cevil.example');
  await page.getByLabel('Email').fill(app.owner.email);
  await page.getByLabel('Password').fill(app.owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(new URL('/flows', app.baseURL).href);
  // Signed in already: the server's redirect is held to the same rule.
  await page.goto('/login?next=%2F%09%2Fevil.example');
  await expect(page).toHaveURL(new URL('/flows', app.baseURL).href);
});

test('first-run setup creates the owner and signs in', async ({ browser }) => {
  test.setTimeout(120_000);
  // A product with no owner yet: the env vars that create one on start are blanked.
  const fresh = await startSwitchyard({ env: { SWITCHYARD_OWNER_EMAIL: '', SWITCHYARD_OWNER_PASSWORD: '' } });
  const context = await browser.newContext({ baseURL: fresh.baseURL });
  try {
    const page = await context.newPage();
    await page.goto('/flows');
    await expect(page).toHaveURL(/\/setup$/);
    await page.getByLabel('Email').fill('me@example.com');
    await page.getByLabel('Password', { exact: true }).fill('a-long-password');
    await page.getByLabel('Repeat password').fill('a-long-password');
    await page.getByRole('button', { name: 'Create owner account' }).click();
    await expect(page).toHaveURL(/\/flows$/);
    await expect(page.getByRole('heading', { name: 'No flows yet' })).toBeVisible();
    // Setup is over: the page now leads to sign-in.
    await context.clearCookies();
    await page.goto('/setup');
    await expect(page).toHaveURL(/\/login/);
  } finally {
    await context.close();
    await fresh.stop();
  }
});
