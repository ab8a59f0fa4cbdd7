import { expect, telegramTest } from './fixtures';
import { signIn } from './helpers';

const test = telegramTest();

/**
 * A Telegram bot connected through the credentials page, its callback URL shown to copy; a contact's
 * message arriving at that URL shows up in the Conversations inbox, where a person reads the thread,
 * replies through the bot (the Bot API fake receives it) and pauses automation for the contact.
 */

test.use({ viewport: { width: 1440, height: 900 } });

const CHAT = 5550001;

test('a Telegram bot\'s callback URL to copy, its thread in the inbox, a person\'s reply through the bot, automation paused', async ({ page, app, telegram, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.baseURL });
  await signIn(page, app);
  const headers = { origin: app.baseURL };

  // Connect the bot on the credentials page; right after saving, its callback URL is there to copy.
  await page.goto('/credentials');
  await page.getByRole('button', { name: 'New credential' }).click();
  const create = page.getByRole('dialog', { name: 'New credential' });
  await create.getByRole('combobox').first().selectOption({ label: 'Telegram bot' });
  await create.getByLabel('Name', { exact: true }).fill('Support bot');
  await create.getByLabel(/^Bot token/).fill(telegram.token);
  await create.getByLabel(/^Bot API URL/).fill(telegram.url);
  await create.getByRole('button', { name: 'Save credential' }).click();

  const list = await (await page.request.get('/api/credentials')).json() as { id: string; name: string }[];
  const credentialId = list.find((c) => c.name === 'Support bot')!.id;
  const callbackUrl = `${app.baseURL}/inbound/${credentialId}`;
  const connect = page.getByRole('dialog', { name: 'Connect “Support bot”' });
  await expect(connect.getByRole('textbox', { name: 'Callback URL of Support bot' })).toHaveValue(callbackUrl);
  await connect.getByRole('button', { name: 'Copy the callback URL of Support bot' }).click();
  await expect(connect.getByRole('button', { name: 'Copy the callback URL of Support bot' })).toHaveText('Copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(callbackUrl);
  // Telegram checks a secret header, not a pasted verify token: none is shown.
  await expect(connect.getByRole('textbox')).toHaveCount(1);
  await connect.getByRole('button', { name: 'Done' }).click();
  await expect(connect).toBeHidden();

  // The row keeps showing it.
  const row = page.getByRole('row').filter({ hasText: 'Support bot' });
  await expect(row.getByRole('textbox', { name: 'Callback URL of Support bot' })).toHaveValue(callbackUrl);
  await expect(row.getByRole('button', { name: 'Copy the callback URL of Support bot' })).toBeVisible();

  // An echo bot on that account; activating it points the bot's webhook at the URL shown.
  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Echo bot',
    nodes: [
      { id: 'trigger', type: 'telegram.trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {}, credentials: { bot: 'tg' } },
      { id: 'echo', type: 'telegram.send-message', typeVersion: 1, position: { x: 260, y: 0 }, credentials: { bot: 'tg' },
        props: { text: 'Echo: {{ $trigger.text }}' } },
    ],
    edges: [{ id: 'e1', source: 'trigger', sourceHandle: 'main', target: 'echo', targetHandle: 'main' }],
    credentials: { tg: { kind: 'telegram-bot', id: credentialId } },
  } });
  expect(created.status(), await created.text()).toBe(201);
  const flowId = (await created.json()).id as string;
  const activated = await page.request.post(`/api/flows/${flowId}/activate`, { headers });
  expect(activated.status(), await activated.text()).toBe(200);
  expect(telegram.webhook?.url).toBe(callbackUrl);

  // Ada writes to the bot: Telegram delivers the update to the callback URL with the webhook's secret token.
  const delivered = await telegram.deliver(telegram.userMessage(CHAT, 'Hello, is anyone there?'));
  expect(delivered.status).toBe(200);
  await expect.poll(() => telegram.sentTo(CHAT).map((m) => m.text), { timeout: 20_000 }).toEqual(['Echo: Hello, is anyone there?']);

  // The inbox lists the thread under the contact's name; opening it shows both messages.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conversations' }).click();
  const threads = page.getByRole('list', { name: 'Conversations' });
  const thread = threads.getByRole('link', { name: 'Ada Lovelace' });
  const threadItem = threads.getByRole('listitem').filter({ has: page.getByRole('link', { name: 'Ada Lovelace' }) });
  await expect(thread).toBeVisible();
  await expect(threadItem).toContainText('Telegram bot');
  await expect(threadItem).toContainText('Support bot');
  await page.getByRole('combobox', { name: 'Filter by channel' }).selectOption({ label: 'Telegram bot' });
  await expect(page).toHaveURL(/channel=telegram-bot/);
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('lovelace');
  await expect(page).toHaveURL(/q=lovelace/);
  await thread.click();
  await expect(page).toHaveURL(/\/conversations\/[^/?]+\?/);

  const pane = page.getByRole('region', { name: 'Conversation with Ada Lovelace' });
  const messages = pane.getByRole('list', { name: 'Messages' });
  const inbound = messages.locator('li[data-direction="in"]');
  const outbound = messages.locator('li[data-direction="out"]');
  await expect(inbound).toHaveCount(1);
  await expect(inbound.first()).toContainText('Hello, is anyone there?');
  await expect(outbound).toHaveCount(1);
  await expect(outbound.first()).toContainText('Echo: Hello, is anyone there?');
  await expect(outbound.first().locator('[data-status]')).toHaveText('Sent');
  const byExecution = outbound.first().getByRole('link', { name: /^Sent by execution/ });
  await expect(byExecution).toHaveAttribute('href', /^\/executions\/[0-9a-f-]+$/);
  const executionId = (await byExecution.getAttribute('href'))!.split('/').pop()!;
  expect((await (await page.request.get(`/api/executions/${executionId}`)).json()).flowId).toBe(flowId);

  // A person replies from the inbox: it goes out through the bot and joins the thread as sent.
  await pane.getByLabel('Reply', { exact: true }).fill('A person here — how can I help?');
  await pane.getByRole('button', { name: 'Send' }).click();
  await expect.poll(() => telegram.sentTo(CHAT).map((m) => m.text)).toEqual(['Echo: Hello, is anyone there?', 'A person here — how can I help?']);
  const reply = outbound.filter({ hasText: 'A person here — how can I help?' });
  await expect(reply).toHaveCount(1);
  await expect(reply.locator('[data-status]')).toHaveText('Sent');
  await expect(reply).toContainText('Sent from the inbox');
  await expect(pane.getByLabel('Reply', { exact: true })).toHaveValue('');

  // Pausing automation: the next message is the person's to answer, so the bot does not echo it.
  const automation = pane.getByRole('switch', { name: 'Automation' });
  await expect(automation).toBeChecked();
  await automation.click();
  await expect(automation).not.toBeChecked();
  await expect(pane).toContainText('Paused: a person is handling this contact');
  await expect(threadItem).toContainText('Person handling');
  await telegram.deliver(telegram.userMessage(CHAT, 'Thanks, waiting for you'));
  await expect(inbound.filter({ hasText: 'Thanks, waiting for you' })).toHaveCount(1);

  // Resumed: the bot answers again; the paused message never got an echo.
  await automation.click();
  await expect(automation).toBeChecked();
  await telegram.deliver(telegram.userMessage(CHAT, 'One more'));
  await expect(outbound.filter({ hasText: 'Echo: One more' })).toHaveCount(1, { timeout: 20_000 });
  expect(telegram.sentTo(CHAT).map((m) => m.text)).toEqual(['Echo: Hello, is anyone there?', 'A person here — how can I help?', 'Echo: One more']);
});
