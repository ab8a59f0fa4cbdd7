import { startSmtpFake, type SmtpFake } from '../nodes/channels/email/fake-smtp';
import { expect, localTest } from './fixtures';
import { signIn } from './helpers';

const test = localTest();

let smtp: SmtpFake;
test.beforeAll(async () => { smtp = await startSmtpFake(); });
test.afterAll(async () => { await smtp?.close(); });

test.use({ viewport: { width: 1440, height: 900 } });

test('guardrail checks of a few runs show per day by outcome; a bar opens its messages, PII redacted', async ({ page, app }) => {
  test.setTimeout(120_000);
  await signIn(page, app);
  const headers = { origin: app.baseURL };
  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Guarded inbox',
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
      { id: 'check', type: 'guardrails.check', typeVersion: 1, position: { x: 260, y: 0 }, props: { text: '{{ $json.text }}', keywords: ['crypto'] } },
      { id: 'triage', type: 'guardrails.triage', typeVersion: 1, position: { x: 520, y: 0 }, props: { text: '{{ $trigger.text }}', guardrailsPassed: '{{ $json.guardrails.passed }}' } },
    ],
    edges: [
      { id: 'e1', source: 'start', sourceHandle: 'main', target: 'check', targetHandle: 'main' },
      { id: 'e2', source: 'check', sourceHandle: 'fail', target: 'triage', targetHandle: 'main' },
    ],
  } });
  expect(created.status(), await created.text()).toBe(201);
  const flow = await created.json();

  const texts = [
    'Write to me at asha.rao@example.in please',
    'Cheap crypto, card 4111 1111 1111 1111',
    'When do you open on Sunday?',
  ];
  for (const text of texts) {
    const started = await (await page.request.post(`/api/flows/${flow.id}/run`, { headers, data: { input: { text } } })).json();
    await expect.poll(async () => (await (await page.request.get(`/api/executions/${started.executionId}`)).json()).status, { timeout: 30_000 }).toBe('succeeded');
  }

  await page.goto('/');
  await page.getByRole('link', { name: 'Decisions' }).click();
  await expect(page.getByRole('heading', { name: 'Decisions', level: 1 })).toBeVisible();
  await page.getByLabel('Filter by flow').selectOption(flow.id);

  // Today's bar: two failed checks, one passed, and the two triage steps that ignored the failures.
  const today = new Date().toISOString().slice(0, 10);
  const chart = page.getByRole('group', { name: 'Decisions per day by outcome' });
  const failBar = chart.getByRole('button', { name: `${today}: 2 failed` });
  await expect(failBar).toBeVisible();
  await expect(chart.getByRole('button', { name: `${today}: 1 passed` })).toBeVisible();
  await expect(chart.getByRole('button', { name: `${today}: 2 ignored` })).toBeVisible();

  const rules = page.getByRole('list', { name: 'Rules that fire most' });
  await expect(rules.getByRole('button', { name: /^guardrails failed\s*2$/ })).toBeVisible();
  await expect(rules.getByRole('button', { name: /^pii: email\s*1$/ })).toBeVisible();
  await expect(rules.getByRole('button', { name: /^keyword: crypto\s*1$/ })).toBeVisible();

  // The bar opens the messages behind it, personal data redacted.
  await failBar.click();
  await expect(page).toHaveURL(new RegExp(`day=${today}.*outcome=fail|outcome=fail.*day=${today}`));
  const list = page.getByRole('list', { name: 'Decisions', exact: true });
  await expect(list.getByRole('listitem')).toHaveCount(2);
  await expect(list).toContainText('Write to me at [EMAIL] please');
  await expect(list).toContainText('Cheap crypto, card [CARD]');
  await expect(list).toContainText('keyword: crypto (1.00)');
  await expect(list).not.toContainText('asha.rao@example.in');
  await expect(list).not.toContainText('4111');

  // A rule opens the decisions it fired in.
  await rules.getByRole('button', { name: /^pii: email/ }).click();
  await expect(list.getByRole('listitem')).toHaveCount(1);
  await expect(list.getByRole('listitem')).toContainText('Guardrail · guardrails.check');
});

test('an escalation a person edited and approved shows on the page with its text redacted', async ({ page, app }) => {
  test.setTimeout(120_000);
  await signIn(page, app);
  const headers = { origin: app.baseURL };
  const mail = await page.request.post('/api/credentials', { headers, data: { name: 'Team mail', kind: 'smtp', data: {
    host: '127.0.0.1', port: smtp.port, security: 'none', user: smtp.user, password: smtp.password, from: 'Switchyard <bot@example.com>',
  } } });
  expect(mail.status(), await mail.text()).toBe(201);
  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Refunds with a person',
    nodes: [
      { id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} },
      { id: 'ask', type: 'guardrails.ask-human', typeVersion: 1, position: { x: 260, y: 0 }, credentials: { smtp: 'mail' }, props: {
        title: 'Refund question', draft: 'We will refund you within 3 days.', reason: 'asks for a refund',
        assignees: [{ channel: 'email', address: 'lead@example.com' }],
      } },
    ],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'main', target: 'ask', targetHandle: 'main' }],
    credentials: { mail: { kind: 'smtp', id: (await mail.json()).id } },
  } });
  expect(created.status(), await created.text()).toBe(201);
  const flow = await created.json();
  const started = await (await page.request.post(`/api/flows/${flow.id}/run`, { headers, data: { input: {} } })).json();
  await expect.poll(async () => (await (await page.request.get(`/api/executions/${started.executionId}`)).json()).status, { timeout: 30_000 }).toBe('waiting');
  const escalation = (await (await page.request.get(`/api/escalations?flowId=${flow.id}`)).json()).escalations[0];
  const decided = await page.request.post(`/api/escalations/${escalation.id}/decision`, { headers, data: {
    action: 'approve', text: 'Refunded today; the receipt went to asha.rao@example.in',
  } });
  expect(decided.status(), await decided.text()).toBe(200);
  await expect.poll(async () => (await (await page.request.get(`/api/executions/${started.executionId}`)).json()).status, { timeout: 30_000 }).toBe('succeeded');

  await page.goto('/decisions');
  await page.getByLabel('Filter by kind').selectOption('escalation');
  const today = new Date().toISOString().slice(0, 10);
  const bar = page.getByRole('group', { name: 'Decisions per day by outcome' }).getByRole('button', { name: `${today}: 1 edited and approved` });
  await expect(bar).toBeVisible();
  await expect(page.getByRole('list', { name: 'Rules that fire most' })).toContainText('asks for a refund');
  await bar.click();
  const item = page.getByRole('list', { name: 'Decisions', exact: true }).getByRole('listitem');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('Edited and approved');
  await expect(item).toContainText('Escalation · guardrails.ask-human');
  await expect(item).toContainText('Refunded today; the receipt went to [EMAIL]');
  await expect(item).not.toContainText('asha.rao');
  await expect(item.getByRole('link', { name: 'Refunds with a person' })).toBeVisible();
});
