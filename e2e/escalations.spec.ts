import { simpleParser } from 'mailparser';
import { startSmtpFake, type SmtpFake } from '../nodes/channels/email/fake-smtp';
import { expect, telegramTest } from './fixtures';
import { signIn } from './helpers';

const test = telegramTest();

/**
 * The human escalation loop end to end: a contact's Telegram message (through the Bot API fake)
 * mentions "human", so Triage escalates it; Ask a human emails the assignee (the SMTP fake receives
 * the signed link); the person opens the link, reads the conversation (its markup shown as text),
 * edits the drafted reply and approves it; the flow sends the edited text through the bot. A second
 * decision is refused with who decided, and the decision log has the edit.
 */

test.use({ viewport: { width: 1440, height: 900 } });

const CHAT = 5550077;
const DRAFT = 'We can refund your order within 5 days.';
const EDITED = 'We have refunded your order today.';
const MARKUP = 'I want a <b>human</b> now <img src=x onerror="window.__pwned=1">';

let smtp: SmtpFake;
test.beforeAll(async () => { smtp = await startSmtpFake(); });
test.afterAll(async () => { await smtp?.close(); });

async function mailTo(address: string): Promise<{ subject: string; text: string } | undefined> {
  const raw = smtp.messages.find((m) => m.to.includes(address))?.raw;
  if (!raw) return undefined;
  const parsed = await simpleParser(raw);
  return { subject: parsed.subject ?? '', text: parsed.text ?? '' };
}

test('a Telegram message escalated by Triage, the assignee emailed a signed link, edited and approved in the inbox, the edit sent through the bot', async ({ page, app, telegram }) => {
  await signIn(page, app);
  const headers = { origin: app.baseURL };
  const credential = async (name: string, kind: string, data: Record<string, unknown>) => {
    const res = await page.request.post('/api/credentials', { headers, data: { name, kind, data } });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()).id as string;
  };
  const botId = await credential('Support bot', 'telegram-bot', { token: telegram.token, baseUrl: telegram.url });
  const smtpId = await credential('Team mail', 'smtp', {
    host: '127.0.0.1', port: smtp.port, security: 'none', user: smtp.user, password: smtp.password, from: 'Switchyard <bot@example.com>',
  });

  const created = await page.request.post('/api/flows', { headers, data: {
    format: 'switchyard/flow@1', name: 'Support with a human in the loop',
    nodes: [
      { id: 'trigger', type: 'telegram.trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {}, credentials: { bot: 'tg' } },
      { id: 'triage', type: 'guardrails.triage', typeVersion: 1, position: { x: 240, y: 0 }, props: { text: '{{ $trigger.message.text }}' } },
      { id: 'ask', type: 'guardrails.ask-human', typeVersion: 1, position: { x: 480, y: 0 }, credentials: { smtp: 'mail' }, props: {
        title: 'A customer asks for a person', draft: DRAFT, assignees: [{ channel: 'email', address: 'lead@example.com' }],
      } },
      { id: 'send', type: 'telegram.send-message', typeVersion: 1, position: { x: 720, y: 0 }, credentials: { bot: 'tg' }, props: { text: '{{ $json.text }}' } },
    ],
    edges: [
      { id: 'e1', source: 'trigger', sourceHandle: 'main', target: 'triage', targetHandle: 'main' },
      { id: 'e2', source: 'triage', sourceHandle: 'escalate', target: 'ask', targetHandle: 'main' },
      { id: 'e3', source: 'ask', sourceHandle: 'approved', target: 'send', targetHandle: 'main' },
    ],
    credentials: { tg: { kind: 'telegram-bot', id: botId }, mail: { kind: 'smtp', id: smtpId } },
  } });
  expect(created.status(), await created.text()).toBe(201);
  const flowId = (await created.json()).id as string;
  const activated = await page.request.post(`/api/flows/${flowId}/activate`, { headers });
  expect(activated.status(), await activated.text()).toBe(200);

  // Ada asks for a person (with markup in her message); Triage escalates; the lead is emailed a link.
  expect((await telegram.deliver(telegram.userMessage(CHAT, MARKUP))).status).toBe(200);
  await expect.poll(async () => (await mailTo('lead@example.com'))?.subject, { timeout: 20_000 }).toBe('Approval needed: A customer asks for a person');
  const mail = (await mailTo('lead@example.com'))!;
  expect(mail.text).toContain('Why: mentions "human"');
  expect(mail.text).toContain(`Drafted reply: ${DRAFT}`);
  const link = /(http:\/\/\S+\/escalations\/[0-9a-f-]+\?sig=[A-Za-z0-9_-]+)/.exec(mail.text)?.[1];
  expect(link?.startsWith(`${app.baseURL}/escalations/`)).toBe(true);
  const escalationId = new URL(link!).pathname.split('/').pop()!;
  // Nothing was sent to Ada yet: the flow waits for a person.
  expect(telegram.sentTo(CHAT)).toEqual([]);

  // The lead opens the link: the escalation, its reasons and the conversation, all as text.
  await page.goto(link!);
  const pane = page.getByRole('region', { name: 'Escalation: A customer asks for a person' });
  await expect(pane).toBeVisible();
  await expect(pane).toContainText('Opened from the link you were sent.');
  await expect(pane.getByRole('region', { name: 'Reasons' })).toContainText('mentions "human"');
  const conversation = pane.getByRole('region', { name: 'Conversation' });
  await expect(conversation).toContainText('Conversation with Ada Lovelace');
  await expect(conversation.locator('li[data-direction="in"]')).toHaveCount(1);
  await expect(conversation.locator('li[data-direction="in"]').first()).toContainText(MARKUP);
  await expect(pane.locator('b, img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  await expect(pane.getByRole('region', { name: 'Draft' })).toContainText(DRAFT);
  // The list beside it shows it waiting, the message as text too.
  const item = page.getByRole('list', { name: 'Escalations' }).getByRole('listitem').filter({ has: page.getByRole('link', { name: 'A customer asks for a person' }) });
  await expect(item).toContainText('Waiting for a decision');
  await expect(item).toContainText(MARKUP);

  // Approve needs the draft unchanged; after an edit, "Edit & approve" sends the edit.
  const text = pane.getByLabel('Reply to send');
  await expect(text).toHaveValue(DRAFT);
  await text.fill(EDITED);
  await expect(pane.getByRole('button', { name: 'Approve', exact: true })).toBeDisabled();
  await pane.getByRole('button', { name: 'Edit & approve' }).click();

  const decision = pane.getByRole('region', { name: 'Decision' });
  await expect(decision).toContainText(`Edited and approved by ${app.owner.email}`);
  await expect(decision).toContainText('Sent instead of the draft');
  await expect(decision).toContainText(EDITED);
  await expect(pane.getByRole('region', { name: 'Draft' })).toContainText(DRAFT);
  await expect.poll(() => telegram.sentTo(CHAT).map((m) => m.text), { timeout: 20_000 }).toEqual([EDITED]);

  // A second decision (another person, a second click) is refused with who decided.
  const again = await page.request.post(`/api/escalations/${escalationId}/decision`, { headers, data: { action: 'reject' } });
  expect(again.status()).toBe(409);
  expect((await again.json()).error.message).toBe(`already decided by ${app.owner.email} (approved)`);

  // The decision log has the edit.
  const log = await (await page.request.get('/api/decisions?kind=escalation')).json() as { decisions: { outcome: string; text: string; flowId: string }[] };
  expect(log.decisions.filter((d) => d.flowId === flowId)).toMatchObject([{ outcome: 'edited', text: EDITED }]);

  // The list moves it out of "waiting"; the Approved filter shows it.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Escalations' }).click();
  await expect(page.getByRole('list', { name: 'Escalations' })).toHaveCount(0);
  await expect(page.getByText('Nothing is waiting for a person')).toBeVisible();
  await page.getByRole('combobox', { name: 'Filter by status' }).selectOption({ label: 'Approved' });
  await expect(page).toHaveURL(/status=approved/);
  await expect(page.getByRole('list', { name: 'Escalations' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByRole('list', { name: 'Escalations' })).toContainText('Edited and approved');

  // A link whose signature was changed is called out.
  await page.goto(`/escalations/${escalationId}?sig=${'A'.repeat(32)}`);
  await expect(page.getByRole('alert').filter({ hasText: 'not issued by Switchyard' })).toBeVisible();
});
