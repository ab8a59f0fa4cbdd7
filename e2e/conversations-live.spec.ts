import type { Update } from '../nodes/channels/telegram/fake-updates';
import { expect, telegramTest } from './fixtures';
import { signIn } from './helpers';

const test = telegramTest();

/**
 * The inbox is live: with its stream open it does not poll, yet a new contact's thread, a new
 * message in the open thread and a pause made elsewhere show up without a reload. The list shows
 * the newest 100 threads and loads older ones on request; a thread shows its newest 50 messages
 * and loads older ones on request. Threads are dated three to a second and messages two to a
 * second, so both page boundaries fall inside a second (a strict time cursor would skip the rest
 * of that second).
 */

test.use({ viewport: { width: 1440, height: 900 } });

const THREADS = 105;
const BUSY_CHAT = 990001;
const BUSY_MESSAGES = 60;

/** A contact's text message dated `date` (epoch seconds), named so the inbox lists it by that name. */
function message(telegram: { userMessage(chatId: number, text: string, options?: { from?: { first_name?: string; last_name?: string } }): Update }, chatId: number, text: string, name: string, date: number): Update {
  const update = telegram.userMessage(chatId, text, { from: { first_name: name, last_name: '' } });
  return { ...update, message: { ...(update.message as Record<string, unknown>), date } };
}

test('threads and messages arrive without a reload, and older threads and messages load on request', async ({ page, app, telegram }) => {
  test.setTimeout(240_000);
  await signIn(page, app);
  const headers = { origin: app.baseURL };

  const credential = await page.request.post('/api/credentials', { headers, data: {
    name: 'Live bot', kind: 'telegram-bot', data: { token: telegram.token, baseUrl: telegram.url },
  } });
  expect(credential.status(), await credential.text()).toBe(201);
  const credentialId = (await credential.json()).id as string;
  // A flow with only the trigger: activating it points the bot's webhook at the account's callback URL.
  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Listen', edges: [],
    nodes: [{ id: 'trigger', type: 'telegram.trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {}, credentials: { bot: 'tg' } }],
    credentials: { tg: { kind: 'telegram-bot', id: credentialId } },
  } });
  expect(created.status(), await created.text()).toBe(201);
  const activated = await page.request.post(`/api/flows/${(await created.json()).id}/activate`, { headers });
  expect(activated.status(), await activated.text()).toBe(200);

  // 105 contacts, a day ago, three to a second; then one contact with 60 messages, newer, two to a
  // second. The busy thread comes first, so the list's first page ends at Person 98, whose second
  // Persons 99 and 100 share; the thread's first page ends at message 10, whose second message 9 shares.
  const start = Math.floor(Date.now() / 1000) - 86_400;
  for (let i = 0; i < THREADS; i++) {
    const sent = await telegram.deliver(message(telegram, 700_000 + i, `hello from ${i}`, `Person ${i}`, start - Math.floor((i + 1) / 3) * 60));
    expect(sent.status).toBe(200);
  }
  for (let k = 0; k < BUSY_MESSAGES; k++) {
    expect((await telegram.deliver(message(telegram, BUSY_CHAT, `message ${k}`, 'Busy Contact', start + 60 + Math.floor((k + 1) / 2)))).status).toBe(200);
  }
  await expect.poll(async () => ((await (await page.request.get('/api/conversations?limit=200')).json()) as unknown[]).length,
    { timeout: 60_000 }).toBe(THREADS + 1);
  await expect.poll(async () => {
    const list = (await (await page.request.get('/api/conversations?limit=1')).json()) as { lastMessage: { text: string } | null }[];
    return list[0]?.lastMessage?.text;
  }, { timeout: 60_000 }).toBe(`message ${BUSY_MESSAGES - 1}`);

  // The newest 100 threads, then the rest on request (the boundary's second included).
  await page.goto('/conversations');
  await expect(page.locator('[data-live="on"]')).toBeVisible();
  const threads = page.getByRole('list', { name: 'Conversations' });
  const rows = threads.getByRole('listitem');
  await expect(rows).toHaveCount(100);
  await page.getByRole('button', { name: 'Show older conversations' }).click();
  await expect(rows).toHaveCount(THREADS + 1);
  for (const i of [98, 99, 100, 101, 104]) await expect(threads.getByRole('link', { name: `Person ${i}`, exact: true })).toHaveCount(1);
  await expect(page.getByRole('button', { name: 'Show older conversations' })).toBeHidden();

  // The busy thread: its newest 50 messages, then the rest on request.
  await threads.getByRole('link', { name: 'Busy Contact' }).click();
  const pane = page.getByRole('region', { name: 'Conversation with Busy Contact' });
  const inbound = pane.getByRole('list', { name: 'Messages' }).locator('li[data-direction="in"]');
  await expect(inbound).toHaveCount(50);
  await expect(inbound.last()).toContainText(`message ${BUSY_MESSAGES - 1}`);
  await pane.getByRole('button', { name: 'Show older messages' }).click();
  await expect(inbound).toHaveCount(BUSY_MESSAGES);
  await expect(inbound.first()).toContainText('message 0');
  for (const k of [9, 10]) await expect(inbound.filter({ has: page.getByText(`message ${k}`, { exact: true }) })).toHaveCount(1);
  await expect(pane.getByRole('button', { name: 'Show older messages' })).toBeHidden();

  // Live, with no polling while the stream is open: a marker on the window shows nothing reloaded.
  await page.evaluate(() => { (window as unknown as { inboxMarker: number }).inboxMarker = 1; });
  const now = Math.floor(Date.now() / 1000);
  await telegram.deliver(message(telegram, BUSY_CHAT, 'are you there?', 'Busy Contact', now));
  await expect(inbound).toHaveCount(BUSY_MESSAGES + 1);
  await expect(inbound.last()).toContainText('are you there?');
  await telegram.deliver(message(telegram, 880_001, 'first time writing', 'New Person', now + 1));
  await expect(rows.first()).toContainText('New Person');
  await expect(rows.first()).toContainText('first time writing');
  // The older threads stay loaded below.
  await expect(rows).toHaveCount(THREADS + 2);

  // A teammate pauses automation for the open contact: the switch follows.
  const busyId = new URL(page.url()).pathname.split('/').pop()!;
  const automation = pane.getByRole('switch', { name: 'Automation' });
  await expect(automation).toBeChecked();
  const paused = await page.request.post(`/api/conversations/${busyId}/automation`, { headers, data: { paused: true } });
  expect(paused.status(), await paused.text()).toBe(200);
  await expect(automation).not.toBeChecked();
  await expect(threads.getByRole('listitem').filter({ hasText: 'Busy Contact' })).toContainText('Person handling');
  expect(await page.evaluate(() => (window as unknown as { inboxMarker?: number }).inboxMarker)).toBe(1);
});
