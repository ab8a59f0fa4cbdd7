import { startSmtpFake } from '../nodes/channels/email/fake-smtp';
import type { TelegramFake } from '../nodes/channels/telegram/fake';
import { expect, telegramTest } from './fixtures';
import { connect, dropNode, selectNode, signIn } from './helpers';

const test = telegramTest();

/**
 * The channels journey (issue 12): connect a Telegram bot (the Bot API fake), build "Telegram
 * trigger → send message" by drag and drop, activate it, chat with it in the chat simulator — the
 * echo appears, linked to its step, and nothing reaches Telegram — then find the thread in the
 * Conversations inbox and answer it from there; the answer shows in the simulator.
 */

test.use({ viewport: { width: 1600, height: 900 } });

/** Bot API calls that would have reached a Telegram user (the simulator must make none). */
const userFacing = (telegram: TelegramFake) => telegram.calls.filter((c) => /^(send|edit|answerCallbackQuery|copy|forward)/.test(c.method));

test('connect a Telegram bot, build an echo flow by drag and drop, chat with it in the simulator, answer from the inbox', async ({ page, app, telegram }) => {
  test.setTimeout(120_000);
  await signIn(page, app);

  // Connect the bot on the credentials page (the Bot API URL points at the local fake).
  await page.goto('/credentials');
  await page.getByRole('button', { name: 'New credential' }).click();
  const create = page.getByRole('dialog', { name: 'New credential' });
  await create.getByRole('combobox').first().selectOption({ label: 'Telegram bot' });
  await create.getByLabel('Name', { exact: true }).fill('Shop bot');
  await create.getByLabel(/^Bot token/).fill(telegram.token);
  await create.getByLabel(/^Bot API URL/).fill(telegram.url);
  await create.getByRole('button', { name: 'Save credential' }).click();
  const connectDialog = page.getByRole('dialog', { name: 'Connect “Shop bot”' });
  await connectDialog.getByRole('button', { name: 'Done' }).click();
  await expect(connectDialog).toBeHidden();

  // Build "Telegram trigger → Telegram: send message" from the palette.
  await page.goto('/flows');
  await page.getByRole('link', { name: 'New flow' }).click();
  await expect(page.getByText('Start with a trigger')).toBeVisible();
  await dropNode(page, 'Telegram trigger', 110, 260, 'trigger');
  await dropNode(page, 'Telegram: send message', 420, 260, 'send-message');
  await connect(page, 'trigger', 'main', 'send-message');
  await expect(page.locator('.react-flow__edge')).toHaveCount(1);

  let inspector = await selectNode(page, 'trigger');
  await inspector.getByLabel('Telegram bot', { exact: true }).selectOption({ label: 'Shop bot' });
  inspector = await selectNode(page, 'send-message');
  await inspector.getByLabel('Telegram bot', { exact: true }).selectOption({ label: 'Shop bot' });
  await inspector.getByRole('textbox', { name: 'Text', exact: true }).fill('Echo: {{ $trigger.text }}');

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL(/\/flows\/[0-9a-f-]{36}$/);
  await expect(page.getByText('All changes saved')).toBeVisible();
  const flowId = page.url().split('/').pop()!;

  // Activating registers the bot's webhook with Telegram (the fake).
  await page.getByRole('switch', { name: 'Active' }).click();
  await expect(page.getByRole('switch', { name: 'Active' })).toBeChecked();
  await expect.poll(() => telegram.webhook?.url).toMatch(/\/inbound\/[^/]+$/);
  const callsBefore = userFacing(telegram).length;

  // Chat with it: the message goes through the bot's signed delivery path; the echo comes back in the panel.
  await page.getByRole('toolbar', { name: 'Flow editor' }).getByRole('button', { name: 'Chat', exact: true }).click();
  const chat = page.getByRole('complementary', { name: 'Chat simulator' });
  await expect(chat.getByRole('heading', { name: 'Chat · Telegram' })).toBeVisible();
  await chat.getByLabel('Message', { exact: true }).fill('Hello from the simulator');
  await chat.getByRole('button', { name: 'Send', exact: true }).click();
  const thread = chat.getByRole('list', { name: 'Chat' });
  await expect(thread.locator('li[data-direction="in"]')).toHaveText(['Hello from the simulator']);
  const echo = thread.locator('li[data-direction="out"]');
  await expect(echo).toHaveCount(1, { timeout: 20_000 });
  await expect(echo.first()).toContainText('Echo: Hello from the simulator');
  await expect(chat.getByLabel('Message', { exact: true })).toHaveValue('');

  // The reply is linked to its step: following the link selects the node and shows the run on the canvas.
  await echo.first().getByRole('button', { name: 'Sent by Telegram: send message' }).click();
  await expect(page.getByRole('complementary', { name: /^Inspector/ })).toBeVisible();
  await expect(page.getByTestId('node-send-message')).toHaveClass(/selected/);
  await expect(page.getByTestId('node-send-message')).toHaveAttribute('data-status', 'succeeded');

  // Nothing reached Telegram: the simulated contact's reply is only in the conversation store.
  expect(userFacing(telegram).length).toBe(callsBefore);
  // One run of the edited flow (a test run, as the simulator starts them), none as production traffic.
  const executions = await (await page.request.get(`/api/executions?flowId=${flowId}`)).json() as { mode: string }[];
  expect(executions.map((e) => e.mode)).toEqual(['manual']);

  // The thread is in the Conversations inbox, named after the simulated contact.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Conversations' }).click();
  const threads = page.getByRole('list', { name: 'Conversations' });
  await threads.getByRole('link', { name: 'Simulator' }).click();
  const pane = page.getByRole('region', { name: 'Conversation with Simulator' });
  const messages = pane.getByRole('list', { name: 'Messages' });
  await expect(messages.locator('li[data-direction="in"]').first()).toContainText('Hello from the simulator');
  await expect(messages.locator('li[data-direction="out"]').first()).toContainText('Echo: Hello from the simulator');

  // A person answers from the inbox: recorded in the thread, never sent to Telegram for a simulated contact.
  await pane.getByLabel('Reply', { exact: true }).fill('A person here, how can I help?');
  await pane.getByRole('button', { name: 'Send' }).click();
  await expect(messages.locator('li[data-direction="out"]').filter({ hasText: 'A person here, how can I help?' })).toHaveCount(1);
  expect(userFacing(telegram).length).toBe(callsBefore);

  // Back in the editor, the simulator shows the person's answer under the bot's echo.
  await page.goto(`/flows/${flowId}`);
  await page.getByRole('toolbar', { name: 'Flow editor' }).getByRole('button', { name: 'Chat', exact: true }).click();
  const reopened = page.getByRole('complementary', { name: 'Chat simulator' }).getByRole('list', { name: 'Chat' });
  await expect(reopened.locator('li[data-direction="out"]')).toHaveCount(2);
  await expect(reopened.locator('li[data-direction="out"]').last()).toContainText('A person here, how can I help?');
  await expect(reopened.locator('li[data-direction="out"]').last()).toContainText('Sent from the inbox');
});

test('a button under the flow\'s question, pressed in the simulator, continues the send-and-wait on its output', async ({ page, app, telegram }) => {
  await signIn(page, app);
  const headers = { origin: app.baseURL };
  const credential = await page.request.post('/api/credentials', { headers, data: { name: 'Order bot', kind: 'telegram-bot', data: { token: telegram.token, baseUrl: telegram.url } } });
  expect(credential.status(), await credential.text()).toBe(201);
  const credentialId = (await credential.json()).id as string;
  const bot = { bot: 'tg' };
  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Ship it?',
    nodes: [
      { id: 'trigger', type: 'telegram.trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {}, credentials: bot },
      { id: 'ask', type: 'telegram.send-and-wait-choice', typeVersion: 1, position: { x: 280, y: 0 }, credentials: bot,
        props: { text: 'Ship it?', choices: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] } },
      { id: 'shipped', type: 'telegram.send-message', typeVersion: 1, position: { x: 560, y: -80 }, credentials: bot, props: { text: 'Shipping now.' } },
      { id: 'held', type: 'telegram.send-message', typeVersion: 1, position: { x: 560, y: 80 }, credentials: bot, props: { text: 'Holding it.' } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', sourceHandle: 'main', target: 'ask', targetHandle: 'main' },
      { id: 'e2', source: 'ask', sourceHandle: 'yes', target: 'shipped', targetHandle: 'main' },
      { id: 'e3', source: 'ask', sourceHandle: 'no', target: 'held', targetHandle: 'main' },
    ],
    credentials: { tg: { kind: 'telegram-bot', id: credentialId } },
  } });
  expect(created.status(), await created.text()).toBe(201);
  const flowId = (await created.json()).id as string;
  const callsBefore = userFacing(telegram).length;

  // Not even active: the simulator runs the saved draft.
  await page.goto(`/flows/${flowId}`);
  await page.getByRole('toolbar', { name: 'Flow editor' }).getByRole('button', { name: 'Chat', exact: true }).click();
  const chat = page.getByRole('complementary', { name: 'Chat simulator' });
  await chat.getByLabel('Message', { exact: true }).fill('I ordered a lamp');
  await chat.getByRole('button', { name: 'Send', exact: true }).click();
  const thread = chat.getByRole('list', { name: 'Chat' });
  const question = thread.locator('li[data-direction="out"]').filter({ hasText: 'Ship it?' });
  await expect(question.getByRole('group', { name: 'Buttons' }).getByRole('button')).toHaveText(['Yes', 'No'], { timeout: 20_000 });
  await expect.poll(async () => (await (await page.request.get(`/api/executions?flowId=${flowId}`)).json() as { status: string }[]).map((e) => e.status), { timeout: 20_000 }).toEqual(['waiting']);

  await question.getByRole('button', { name: 'Yes' }).click();
  await expect(thread.locator('li[data-direction="in"]').last()).toContainText('Yes');
  await expect(thread.locator('li[data-direction="out"]').last()).toContainText('Shipping now.', { timeout: 20_000 });
  await expect(thread.locator('li[data-direction="out"]').last().getByRole('button', { name: 'Sent by Telegram: send message' })).toBeVisible();
  await expect.poll(async () => (await (await page.request.get(`/api/executions?flowId=${flowId}`)).json() as { status: string }[]).map((e) => e.status), { timeout: 20_000 }).toEqual(['succeeded']);
  await expect(page.getByTestId('node-shipped')).toHaveAttribute('data-status', 'succeeded');
  expect(userFacing(telegram).length).toBe(callsBefore);
});

test('a flow that starts with an email: chat as a sender in the simulator, the answer shows as an email with its HTML sandboxed, nothing reaches SMTP', async ({ page, app }) => {
  test.setTimeout(120_000);
  const smtp = await startSmtpFake();
  try {
    await signIn(page, app);
    const headers = { origin: app.baseURL };
    const create = async (data: unknown) => {
      const res = await page.request.post('/api/credentials', { headers, data });
      expect(res.status(), await res.text()).toBe(201);
      return (await res.json()).id as string;
    };
    // The mailbox is never connected to by the simulator: its server does not even exist.
    const mailbox = await create({ name: 'Support inbox', kind: 'imap', data: { host: '127.0.0.1', port: 9, security: 'none', user: 'support@example.com', password: 'unused' } });
    const sender = await create({ name: 'Support SMTP', kind: 'smtp', data: { host: '127.0.0.1', port: smtp.port, security: 'none', user: smtp.user, password: smtp.password, from: 'Support <support@example.com>' } });
    const created = await page.request.post('/api/flows', { headers, data: {
      format: 'switchyard/flow@1', name: 'Mail auto-reply',
      nodes: [
        { id: 'mail', type: 'email.imap-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {}, credentials: { mailbox: 'inbox' } },
        { id: 'answer', type: 'email.send', typeVersion: 1, position: { x: 300, y: 0 }, credentials: { smtp: 'smtp' }, props: {
          to: '{{ $trigger.from.address }}', subject: 'Re: {{ $trigger.subject }}', text: 'We got: {{ $trigger.text }}',
          html: '<p>Thanks, <b>{{ $trigger.from.name }}</b>!</p><script>parent.document.title = "pwned"</script><img src="https://tracker.example/p.gif">',
        } },
      ],
      edges: [{ id: 'e1', source: 'mail', sourceHandle: 'main', target: 'answer', targetHandle: 'main' }],
      credentials: { inbox: { kind: 'imap', id: mailbox }, smtp: { kind: 'smtp', id: sender } },
    } });
    expect(created.status(), await created.text()).toBe(201);
    const flowId = (await created.json()).id as string;

    await page.goto(`/flows/${flowId}`);
    await page.getByRole('toolbar', { name: 'Flow editor' }).getByRole('button', { name: 'Chat', exact: true }).click();
    const chat = page.getByRole('complementary', { name: 'Chat simulator' });
    await expect(chat.getByRole('heading', { name: 'Chat · Email' })).toBeVisible();
    await chat.getByLabel('Subject', { exact: true }).fill('Where is my order?');
    await chat.getByLabel('Message', { exact: true }).fill('Order #42 has not arrived.');
    await chat.getByRole('button', { name: 'Send', exact: true }).click();

    const thread = chat.getByRole('list', { name: 'Chat' });
    const mine = thread.locator('li[data-direction="in"]');
    await expect(mine).toHaveCount(1);
    await expect(mine.first()).toContainText('Where is my order?');
    await expect(mine.first()).toContainText('Order #42 has not arrived.');
    await expect(chat.getByLabel('Subject', { exact: true })).toHaveValue('');

    const answer = thread.locator('li[data-direction="out"]');
    await expect(answer).toHaveCount(1, { timeout: 20_000 });
    await expect(answer.first().locator('.email-subject')).toHaveText(/Re: Where is my order\?/);
    // The HTML body is in a frame with every sandbox permission withheld, not in the editor's page.
    const frame = answer.first().locator('iframe.email-html');
    await expect(frame).toHaveAttribute('sandbox', '');
    await expect(answer.first().frameLocator('iframe.email-html').locator('b')).toHaveText('Simulator');
    await expect(page.locator('script', { hasText: 'pwned' })).toHaveCount(0);
    expect(await page.title()).not.toBe('pwned');
    await answer.first().getByText('Text version').click();
    await expect(answer.first()).toContainText('We got: Order #42 has not arrived.');
    await expect(answer.first().getByRole('button', { name: 'Sent by Send email' })).toBeVisible();

    // Nothing reached the SMTP server; the run was a test run of the saved draft.
    expect(smtp.messages).toEqual([]);
    expect(smtp.connections).toBe(0);
    const executions = await (await page.request.get(`/api/executions?flowId=${flowId}`)).json() as { mode: string }[];
    expect(executions.map((e) => e.mode)).toEqual(['manual']);

    // The inbox shows the thread's mail the same way: subject, and the HTML only inside the sandboxed frame.
    const threads = await (await page.request.get('/api/conversations?channel=imap')).json() as { id: string; simulated: boolean }[];
    expect(threads.map((t) => t.simulated)).toEqual([true]);
    await page.goto(`/conversations/${threads[0]!.id}`);
    const inbox = page.getByRole('region', { name: 'Conversation with Simulator' }).getByRole('list', { name: 'Messages' });
    const sent = inbox.locator('li[data-direction="out"]');
    await expect(sent.locator('.email-subject')).toHaveText(/Re: Where is my order\?/);
    await expect(sent.locator('iframe.email-html')).toHaveAttribute('sandbox', '');
    await expect(sent.frameLocator('iframe.email-html').locator('b')).toHaveText('Simulator');
    await expect(page.locator('script', { hasText: 'pwned' })).toHaveCount(0);
    expect(await page.title()).not.toBe('pwned');
  } finally {
    await smtp.close();
  }
});
