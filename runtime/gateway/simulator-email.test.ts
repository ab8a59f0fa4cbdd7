import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImapFake, type ImapFake } from '../../nodes/channels/email/fake-imap.js';
import { startSmtpFake, type SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import { dispatched, until } from '../testing/channel-harness.js';
import { flow, startTestRuntime, WS } from '../testing/harness.js';
import type { Runtime } from '../types.js';

/**
 * The chat simulator on email (decision 042) with the real IMAP trigger and "Send email" and a real
 * worker: a typed mail becomes one event of the mailbox on the poller's own record → dedupe →
 * dispatch path, starts only the edited flow's latest saved version, and the flow's answer to the
 * simulated sender is recorded in the conversation — the SMTP fake receives nothing for it, while
 * a copy to a real address is sent as usual.
 */

let imap: ImapFake;
let smtp: SmtpFake;
let runtime: Runtime;
let mailboxId: string;
let smtpId: string;

beforeAll(async () => {
  [imap, smtp] = await Promise.all([startImapFake(), startSmtpFake()]);
  runtime = await startTestRuntime();
  mailboxId = (await runtime.credentials.create(WS, { name: `sim inbox ${Date.now()}`, kind: 'imap', data: { host: '127.0.0.1', port: imap.port, security: 'none', user: imap.user, password: imap.password } })).id;
  smtpId = (await runtime.credentials.create(WS, { name: `sim smtp ${Date.now()}`, kind: 'smtp', data: { host: '127.0.0.1', port: smtp.port, security: 'none', user: smtp.user, password: smtp.password, from: 'Support <support@example.com>' } })).id;
});
afterAll(async () => { await Promise.all([imap.close(), smtp.close()]); });

type Reply = { id?: string; to?: string; cc?: string; subject?: string; text?: string; html?: string };

/** "Email received (IMAP) → Send email" with the given replies in a chain. */
function mailFlow(name: string, replies: Reply[], triggerProps: Record<string, unknown> = {}) {
  const nodes = replies.map((r, i) => ({
    id: r.id ?? `reply${i}`, type: 'email.send', credentials: { smtp: 'smtp' },
    props: { to: r.to ?? '{{ $trigger.from.address }}', ...(r.cc ? { cc: r.cc } : {}), subject: r.subject ?? 'Re: {{ $trigger.subject }}', text: r.text ?? '', html: r.html ?? '' },
  }));
  const ids = ['mail', ...nodes.map((n) => n.id)];
  return flow(name, [
    { id: 'mail', type: 'email.imap-trigger', props: { intervalSeconds: 15, ...triggerProps }, credentials: { mailbox: 'inbox' } },
    ...nodes,
  ], ids.slice(1).map((id, i) => `${ids[i]}->${id}`), { credentials: { inbox: { kind: 'imap', id: mailboxId }, smtp: { kind: 'smtp', id: smtpId } } });
}

const executions = (flowId: string) => runtime.knex('executions').where({ flow_id: flowId }).select('id', 'status', 'mode');
const thread = (flowId: string, session: string) => runtime.inbound.simulatorThread(WS, flowId, session);

describe('chatting with a draft flow that starts with the IMAP trigger', () => {
  let edited: string;
  let active: string;

  beforeAll(async () => {
    edited = (await runtime.flows.create(WS, mailFlow('simulated support', [{
      id: 'answer', text: 'We got: {{ $trigger.text }}',
      html: '<p>Thanks, <b>{{ $trigger.from.name }}</b>!</p><script>parent.document.title = "pwned"</script>',
    }]))).id;
    // Another flow on the same mailbox, active and polling the fake: the simulated mail must never start it.
    active = (await runtime.flows.create(WS, mailFlow('production support', [{ text: 'production' }]))).id;
    await runtime.flows.activate(WS, active);
  });

  it('a typed mail is one event of the mailbox — also when sent twice — and the answer is recorded as an email, not sent', async () => {
    const input = { sessionId: 'mail-session-1', subject: 'Where is my order?', text: 'Order #42, café ☕', messageId: 'first' };
    const [first, again] = await Promise.all([runtime.inbound.simulate(WS, edited, input), runtime.inbound.simulate(WS, edited, input)]);
    expect(first).toMatchObject({ sessionId: 'mail-session-1', messageId: 'first', nodeId: 'mail', credentialId: mailboxId, channel: 'imap', acknowledged: 200 });
    expect(again.contact).toEqual(first.contact);
    expect(first.contact.id).toMatch(/^sim-[0-9a-z]+@simulator\.invalid$/);

    const replied = await until(async () => {
      const t = await thread(edited, 'mail-session-1');
      return t.messages.some((m) => m.direction === 'out') && t;
    }, 30_000, 'the answer');
    await until(async () => (await executions(edited)).every((e) => e.status === 'succeeded'), 30_000, 'the run to finish');
    await dispatched(runtime, mailboxId);

    // The poller's path: one recorded event (the second send was dropped by the dedupe), dispatched.
    const events = await runtime.knex('channel_events').where({ credential_id: mailboxId, contact_id: first.contact.id }).select('provider_event_id', 'type', 'status');
    expect(events).toEqual([{ provider_event_id: expect.stringMatching(/^INBOX:0:\d{16}$/), type: 'message', status: 'dispatched' }]);
    expect(await executions(edited)).toEqual([expect.objectContaining({ mode: 'manual', status: 'succeeded' })]);
    expect(await executions(active)).toEqual([]);

    expect(replied).toMatchObject({ channel: 'imap', credentialId: mailboxId, nodeId: 'mail', contact: { id: first.contact.id, name: 'Simulator' } });
    const [inbound, answer] = replied.messages;
    expect(replied.messages).toHaveLength(2);
    // Read back by the trigger's own parser, as a polled mail is (mailparser ends a text body with a newline).
    expect(inbound).toMatchObject({ direction: 'in', messageType: 'email', text: 'Where is my order?\n\nOrder #42, café ☕\n', email: { subject: 'Where is my order?', text: 'Order #42, café ☕\n' } });
    const [execution] = await executions(edited);
    expect(answer).toMatchObject({
      direction: 'out', messageType: 'email', status: 'sent', executionId: execution!.id, stepKey: 'answer',
      email: { subject: 'Re: Where is my order?', text: 'We got: Order #42, café ☕\n', html: '<p>Thanks, <b>Simulator</b>!</p><script>parent.document.title = "pwned"</script>' },
    });
    // Nothing reached the SMTP server.
    expect(smtp.messages).toEqual([]);
    expect(smtp.connections).toBe(0);
  }, 90_000);

  it('runs the latest saved draft, and the inbox lists the thread as simulated', async () => {
    await runtime.flows.update(WS, edited, mailFlow('simulated support', [{ id: 'answer', subject: 'Changed: {{ $trigger.subject }}', text: 'v2' }]), { draft: true });
    await runtime.inbound.simulate(WS, edited, { sessionId: 'mail-session-1', subject: 'Again', text: 'second mail' });
    const t = await until(async () => {
      const found = await thread(edited, 'mail-session-1');
      return found.messages.length === 4 && found;
    }, 30_000, 'the second answer');
    expect(t.messages.at(-1)).toMatchObject({ text: 'Changed: Again\n\nv2', email: { subject: 'Changed: Again', text: 'v2' } });
    const listed = (await runtime.conversations.list(WS, { channel: 'imap', limit: 200 })).find((c) => c.id === t.conversationId);
    expect(listed).toMatchObject({ simulated: true, contact: { name: 'Simulator' } });
    expect(smtp.messages).toEqual([]);
    expect(await executions(active)).toEqual([]);
  }, 90_000);
});

describe('a simulated run that also mails a real address', () => {
  it('sends the copy to the real address through SMTP with the simulated one left out of the envelope', async () => {
    const flowId = (await runtime.flows.create(WS, mailFlow('cc the team', [
      { id: 'answer', cc: 'ops@example.com', text: 'Copying the team.' },
      { id: 'notify', to: 'lead@example.com', subject: 'New mail: {{ $trigger.subject }}', text: 'FYI' },
    ]))).id;
    const before = smtp.messages.length;
    const sent = await runtime.inbound.simulate(WS, flowId, { sessionId: 'mail-session-2', subject: 'Refund', text: 'Please refund me.' });
    await until(async () => (await executions(flowId)).some((e) => e.status === 'succeeded' || e.status === 'failed'), 30_000, 'the run');
    expect(await executions(flowId)).toEqual([expect.objectContaining({ status: 'succeeded' })]);

    const copies = smtp.messages.slice(before);
    expect(copies.map((m) => m.to)).toEqual([['ops@example.com'], ['lead@example.com']]);
    const copy = await simpleParser(copies[0]!.raw);
    // The headers are as the flow wrote them; only the envelope skips the simulated contact.
    expect(copy.to && !Array.isArray(copy.to) ? copy.to.value.map((a) => a.address) : []).toEqual([sent.contact.id]);
    expect(copy.subject).toBe('Re: Refund');

    const t = await thread(flowId, 'mail-session-2');
    expect(t.messages.map((m) => [m.direction, m.email?.subject])).toEqual([['in', 'Refund'], ['out', 'Re: Refund']]);
    // The real sends are in the SMTP account's own conversations, as before.
    const sentRows = await runtime.knex('conversation_messages as m').join('contacts as c', 'c.id', 'm.contact_id')
      .where({ 'm.credential_id': smtpId, 'm.direction': 'out' }).whereIn('c.provider_contact_id', ['lead@example.com', 'ops@example.com']).pluck('c.provider_contact_id');
    expect(sentRows.sort()).toEqual(['lead@example.com', 'ops@example.com']);
  }, 90_000);

  it('refuses a button press on email, naming why', async () => {
    const flowId = (await runtime.flows.create(WS, mailFlow('no buttons', [{ text: 'x' }]))).id;
    await expect(runtime.inbound.simulate(WS, flowId, { sessionId: 'mail-session-3', choiceId: 'yes' })).rejects.toMatchObject({ status: 400, code: 'unknown_choice' });
  });
});
