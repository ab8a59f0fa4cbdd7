import { simpleParser } from 'mailparser';
import { startSmtpFake, type SmtpFake } from '../../channels/email/fake-smtp.js';
import { flow, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';

/** A runtime's SMTP account on the fake, for assignees told by email. */
export async function smtpAccount(runtime: Runtime): Promise<{ smtp: SmtpFake; credentialId: string }> {
  const smtp = await startSmtpFake();
  const { id } = await runtime.credentials.create(WS, {
    name: `escalations smtp ${Math.random()}`, kind: 'smtp',
    data: { host: '127.0.0.1', port: smtp.port, security: 'none', user: smtp.user, password: smtp.password, from: 'Switchyard <bot@example.com>' },
  });
  return { smtp, credentialId: id };
}

/**
 * A manual flow that asks `assignees` about `draft`, each port ending in a Set that says where the
 * flow went and with what.
 */
export async function askFlow(runtime: Runtime, smtpCredentialId: string, options: { draft?: string; timeoutMinutes?: number; assignees?: { channel: string; address: string }[] } = {}): Promise<string> {
  const result = (outcome: string) => ({ fields: [
    { name: 'outcome', value: outcome },
    { name: 'text', value: '{{ $json.text }}' },
    { name: 'action', value: '{{ $json.escalation.action }}' },
    { name: 'edited', value: '{{ $json.escalation.edited }}' },
    { name: 'decidedBy', value: '{{ $json.escalation.decidedBy }}' },
  ] });
  const created = await runtime.flows.create(WS, flow(`ask ${Math.random()}`, [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'ask', type: 'guardrails.ask-human', credentials: { smtp: 'mail' }, props: {
      title: 'Refund question', draft: options.draft ?? 'We will refund you within 3 days.', reason: 'asks for a refund',
      assignees: options.assignees ?? [{ channel: 'email', address: 'lead@example.com' }], timeoutMinutes: options.timeoutMinutes ?? 60,
    } },
    { id: 'approved', type: 'core.set', props: result('approved') },
    { id: 'rejected', type: 'core.set', props: result('rejected') },
    { id: 'timeout', type: 'core.set', props: result('timeout') },
  ], ['start->ask', 'ask:approved->approved', 'ask:rejected->rejected', 'ask:timeout->timeout'],
  { credentials: { mail: { kind: 'smtp', id: smtpCredentialId } } }));
  return created.id;
}

/** Polls until the execution has `status` (fails early if it failed instead). */
export async function waitForStatus(runtime: Runtime, executionId: string, status: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const record = await runtime.executions.get(WS, executionId);
    if (record.status === status) return record;
    if ((record.status === 'failed' && status !== 'failed') || Date.now() > deadline) {
      throw new Error(`execution is ${record.status}; wanted ${status}: ${JSON.stringify(record.error ?? null)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The escalation an execution opened. */
export async function escalationOf(runtime: Runtime, executionId: string) {
  const page = await runtime.escalations.list(WS, { limit: 200 });
  const found = page.escalations.find((e) => e.executionId === executionId);
  if (!found) throw new Error(`execution ${executionId} opened no escalation`);
  return found;
}

/** The plain text of the fake's messages to `address`. */
export async function mailsTo(smtp: SmtpFake, address: string): Promise<{ subject: string; text: string }[]> {
  const parsed = await Promise.all(smtp.messages.filter((m) => m.to.includes(address)).map((m) => simpleParser(m.raw)));
  return parsed.map((m) => ({ subject: m.subject ?? '', text: m.text ?? '' }));
}
