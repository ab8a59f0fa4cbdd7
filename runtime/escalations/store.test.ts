import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import { askFlow, escalationOf, mailsTo, smtpAccount, waitForStatus } from '../../nodes/guardrails/ask-human/testing.js';
import { ConflictError } from '../errors.js';
import { startTestRuntime, WS } from '../testing/harness.js';
import type { Runtime } from '../types.js';

/**
 * The escalations store on a real runtime and worker: an "Ask a human" step parks its execution; a
 * decision is taken exactly once (a second one, or many at the same moment, get "already decided
 * by …"), is kept next to the draft, and resumes the execution once.
 */
let runtime: Runtime;
let smtp: SmtpFake;
let smtpId: string;

beforeAll(async () => {
  runtime = await startTestRuntime();
  ({ smtp, credentialId: smtpId } = await smtpAccount(runtime));
}, 60_000);
afterAll(async () => { await smtp?.close(); });

async function parked(): Promise<{ executionId: string; id: string }> {
  const { executionId } = await runtime.executions.run(WS, await askFlow(runtime, smtpId), {});
  await waitForStatus(runtime, executionId, 'waiting');
  return { executionId, id: (await escalationOf(runtime, executionId)).id };
}

describe('escalations store', () => {
  it('takes a decision once: the edit is stored next to the draft, the flow goes on with it, a second decision gets 409 naming who decided', async () => {
    const { executionId, id } = await parked();
    const open = await runtime.escalations.get(WS, id);
    expect(open).toMatchObject({ status: 'open', draft: 'We will refund you within 3 days.', reasons: ['asks for a refund'], finalText: null, decidedBy: null });
    expect(open.notifications).toMatchObject([{ channel: 'email', address: 'lead@example.com', ok: true }]);

    const decided = await runtime.escalations.decide(WS, id, { action: 'approve', text: 'We will refund you today.' }, 'ada@example.com');
    expect(decided).toMatchObject({ status: 'approved', action: 'edit', edited: true, finalText: 'We will refund you today.', draft: 'We will refund you within 3 days.', decidedBy: 'ada@example.com' });
    const done = await waitForStatus(runtime, executionId, 'succeeded');
    expect(done.result).toEqual({ outcome: 'approved', text: 'We will refund you today.', action: 'edit', edited: true, decidedBy: 'ada@example.com' });

    const again = runtime.escalations.decide(WS, id, { action: 'reject' }, 'bob@example.com');
    await expect(again).rejects.toBeInstanceOf(ConflictError);
    await expect(again).rejects.toThrow('already decided by ada@example.com (approved)');
    // The losing click changed nothing.
    expect(await runtime.escalations.get(WS, id)).toMatchObject({ status: 'approved', decidedBy: 'ada@example.com', finalText: 'We will refund you today.' });
    // The decision log has it once: edited, with the text sent and the reasons as the rules.
    const logged = (await runtime.decisions.list(WS, { kind: 'escalation', limit: 200 })).decisions.filter((d) => d.executionId === executionId);
    expect(logged).toMatchObject([{ nodeType: 'guardrails.ask-human', outcome: 'edited', text: 'We will refund you today.', rules: ['asks for a refund'] }]);
  });

  it('approve without a text keeps the draft (not edited); the notification carried a signed link to it', async () => {
    const { executionId, id } = await parked();
    const mail = (await mailsTo(smtp, 'lead@example.com')).find((m) => m.text.includes(`/escalations/${id}?sig=`));
    expect(mail?.subject).toBe('Approval needed: Refund question');
    const sig = /sig=([A-Za-z0-9_-]+)/.exec(mail!.text)![1]!;
    expect(runtime.escalations.verifyLink(id, sig)).toBe(true);
    expect(runtime.escalations.verifyLink(id, `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`)).toBe(false);

    await runtime.escalations.decide(WS, id, { action: 'approve' }, 'ada@example.com');
    expect((await waitForStatus(runtime, executionId, 'succeeded')).result).toMatchObject({ outcome: 'approved', text: 'We will refund you within 3 days.', action: 'approve', edited: false });
  });

  it('many people deciding at the same moment: exactly one wins, the others are told who, and the flow resumes once', async () => {
    const { executionId, id } = await parked();
    const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((p) => `${p}@example.com`);
    const results = await Promise.allSettled(people.map((person, i) => runtime.escalations.decide(WS, id,
      i % 2 === 0 ? { action: 'reply', text: `Answer from ${person}` } : { action: 'reject' }, person)));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    const winner = (won[0] as PromiseFulfilledResult<{ decidedBy: string; status: string }>).value;
    for (const lost of results.filter((r): r is PromiseRejectedResult => r.status === 'rejected')) {
      expect(lost.reason).toBeInstanceOf(ConflictError);
      expect((lost.reason as Error).message).toContain(`already decided by ${winner.decidedBy}`);
    }
    const done = await waitForStatus(runtime, executionId, 'succeeded');
    expect(done.result).toMatchObject({ outcome: winner.status, decidedBy: winner.decidedBy });
    // One step run for the decision: the asking step is recorded once as done, not once per click.
    const asks = done.steps.filter((s) => s.nodeId === 'ask' && s.status === 'succeeded');
    expect(asks).toHaveLength(1);
  });

  it('lists by status, flow and assignee, newest first, a page at a time', async () => {
    const flowId = await askFlow(runtime, smtpId, { assignees: [{ channel: 'email', address: 'night-shift@example.com' }] });
    const runs = [];
    // One at a time: run together, the workers may park them in any order, and "newest first" is
    // the order their escalations were created in.
    for (let i = 0; i < 3; i++) {
      const { executionId } = await runtime.executions.run(WS, flowId, {});
      await waitForStatus(runtime, executionId, 'waiting');
      runs.push(executionId);
    }
    const first = await runtime.escalations.list(WS, { flowId, status: 'open', limit: 2 });
    expect(first.escalations.map((e) => e.executionId)).toEqual([runs[2], runs[1]]);
    expect(first.escalations[0]?.flowName).toMatch(/^ask /);
    const second = await runtime.escalations.list(WS, { flowId, status: 'open', limit: 2, before: first.nextBefore! });
    expect(second.escalations.map((e) => e.executionId)).toEqual([runs[0]]);
    expect(second.nextBefore).toBeNull();
    expect((await runtime.escalations.list(WS, { assignee: 'night-shift@example.com' })).escalations).toHaveLength(3);
    expect((await runtime.escalations.list(WS, { flowId, minAgeMinutes: 60 })).escalations).toHaveLength(0);
    expect((await runtime.escalations.list(WS, { flowId, maxAgeMinutes: 60 })).escalations).toHaveLength(3);
    expect((await runtime.escalations.list(WS, { flowId, status: 'approved' })).escalations).toHaveLength(0);
  });
});
