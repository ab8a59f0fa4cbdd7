import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpFake } from '../../channels/email/fake-smtp.js';
import { ConflictError } from '../../../runtime/errors.js';
import { flow, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { askFlow, escalationOf, mailsTo, smtpAccount, waitForStatus } from './testing.js';

/**
 * Ask a human on a real runtime and worker, assignees told through the SMTP fake: the execution
 * parks until a decision and goes on at `approved` (the draft, an edit or a person's own reply),
 * `rejected`, or `timeout` when the deadline passes first.
 */
let runtime: Runtime;
let smtp: SmtpFake;
let smtpId: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  ({ smtp, credentialId: smtpId } = await smtpAccount(runtime));
}, 60_000);
afterAll(async () => { await smtp?.close(); });

async function ask(options: Parameters<typeof askFlow>[2] = {}) {
  const { executionId } = await runtime.executions.run(WS, await askFlow(runtime, smtpId, options), {});
  await waitForStatus(runtime, executionId, 'waiting');
  return { executionId, escalation: await escalationOf(runtime, executionId) };
}

describe('guardrails.ask-human', () => {
  it('parks the execution and tells the assignee by email with the reasons, the draft and a link', async () => {
    const { escalation } = await ask({ assignees: [{ channel: 'email', address: 'first@example.com' }, { channel: 'email', address: 'second@example.com' }] });
    expect(escalation).toMatchObject({ status: 'open', title: 'Refund question', reasons: ['asks for a refund'] });
    for (const address of ['first@example.com', 'second@example.com']) {
      const [mail] = await mailsTo(smtp, address);
      expect(mail?.text).toContain('Why: asks for a refund');
      expect(mail?.text).toContain('Drafted reply: We will refund you within 3 days.');
      expect(mail?.text).toContain(`/escalations/${escalation.id}?sig=`);
    }
  });

  it('rejected: the flow goes on at rejected, with no text', async () => {
    const { executionId, escalation } = await ask();
    await runtime.escalations.decide(WS, escalation.id, { action: 'reject' }, 'ada@example.com');
    const done = await waitForStatus(runtime, executionId, 'succeeded');
    expect(done.result).toEqual({ outcome: 'rejected', text: null, action: 'reject', edited: false, decidedBy: 'ada@example.com' });
    expect((await runtime.decisions.list(WS, { kind: 'escalation', outcome: 'rejected', limit: 200 })).decisions.map((d) => d.executionId)).toContain(executionId);
  });

  it('a person\'s own words: approved with their text and action reply', async () => {
    const { executionId, escalation } = await ask();
    await runtime.escalations.decide(WS, escalation.id, { action: 'reply', text: 'Call me on Monday, I will sort it out.' }, 'ada@example.com');
    const done = await waitForStatus(runtime, executionId, 'succeeded');
    expect(done.result).toEqual({ outcome: 'approved', text: 'Call me on Monday, I will sort it out.', action: 'reply', edited: true, decidedBy: 'ada@example.com' });
    expect(await runtime.escalations.get(WS, escalation.id)).toMatchObject({ status: 'approved', action: 'reply', draft: 'We will refund you within 3 days.', finalText: 'Call me on Monday, I will sort it out.' });
  });

  it('nobody decides by the deadline: timeout, the escalation says so, and a late decision gets 409', async () => {
    const { executionId, escalation } = await ask({ timeoutMinutes: 0.02 });
    const done = await waitForStatus(runtime, executionId, 'succeeded');
    expect(done.result).toEqual({ outcome: 'timeout', text: null, action: 'timeout', edited: false, decidedBy: 'the deadline' });
    expect(await runtime.escalations.get(WS, escalation.id)).toMatchObject({ status: 'timeout', decidedBy: 'the deadline', finalText: null });
    const late = runtime.escalations.decide(WS, escalation.id, { action: 'approve' }, 'ada@example.com');
    await expect(late).rejects.toBeInstanceOf(ConflictError);
    await expect(late).rejects.toThrow('already decided by the deadline (timed out)');
    const logged = (await runtime.decisions.list(WS, { kind: 'escalation', outcome: 'timeout', limit: 200 })).decisions.filter((d) => d.executionId === executionId);
    expect(logged).toMatchObject([{ outcome: 'timeout', text: 'We will refund you within 3 days.' }]);
  });

  it('an assignee whose channel has no account on the node fails the step naming the assignee, asking nobody', async () => {
    const before = smtp.messages.length;
    const created = await runtime.flows.create(WS, flow(`no sms ${Math.random()}`, [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'ask', type: 'guardrails.ask-human', credentials: { smtp: 'mail' }, props: {
        assignees: [{ channel: 'email', address: 'lead@example.com' }, { channel: 'sms', address: '+14155550123' }],
      } },
    ], ['start->ask'], { credentials: { mail: { kind: 'smtp', id: smtpId } } }));
    const { executionId } = await runtime.executions.run(WS, created.id, {});
    const failed = await waitForStatus(runtime, executionId, 'failed');
    expect(failed.error?.message).toContain('assignees.1: notifying +14155550123 by sms needs a Twilio account credential on this node');
    expect(smtp.messages.length).toBe(before);
  });

  it('refuses a flow with nobody to ask, naming the field', async () => {
    const saving = runtime.flows.create(WS, flow('nobody', [
      { id: 'start', type: 'core.manual-trigger' },
      { id: 'ask', type: 'guardrails.ask-human', props: { assignees: [] } },
    ], ['start->ask']));
    await expect(saving).rejects.toMatchObject({ status: 400 });
    await expect(saving).rejects.toMatchObject({ problems: [expect.objectContaining({ nodeId: 'ask', path: expect.arrayContaining(['assignees']) })] });
  });
});
