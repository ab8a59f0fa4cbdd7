import { z } from 'zod';
import {
  defineNode, isJsonObject, NonRetryableError, ui,
  type EscalationDecision, type EscalationRequest, type Json, type JsonObject,
} from '@switchyard/sdk';
import { accountFor, notifyAssignee, notifySlots, type Notice } from './notify.js';

const assignee = z.object({
  channel: ui(z.enum(['email', 'sms', 'telegram', 'whatsapp']), {
    title: 'Channel', description: 'How the person is told',
    enumLabels: { email: 'Email (SMTP)', sms: 'SMS (Twilio)', telegram: 'Telegram (bot)', whatsapp: 'WhatsApp (Cloud API)' },
  }),
  address: ui(z.string().trim().min(1, 'enter the address').max(320), {
    title: 'Address', description: 'Their email address, phone number (+country code) or Telegram chat id', placeholder: 'ada@example.com',
  }),
});

const props = z.object({
  /** Default: 'A reply needs your approval'. */
  title: ui(z.string().trim().min(1, 'enter a title').max(300).default('A reply needs your approval'), {
    title: 'Title', description: 'One line the people see in the inbox and in the notification',
  }),
  /** Default: none (the person writes the reply). */
  draft: ui(z.string().max(10_000).default(''), {
    title: 'Drafted reply', description: 'The reply a person approves, edits or replaces, e.g. the AI step\'s text', widget: 'textarea',
    placeholder: '{{ $node["ai"].json.text }}',
  }),
  /** Default: the incoming message's text (`message.text` of the input). */
  message: ui(z.string().max(10_000).default(''), {
    title: 'Message (optional)', description: 'What the contact wrote; empty: the text of the channel message that reached this step', widget: 'textarea',
  }),
  /** Default: none; the Triage step's reasons (`triage.reasons` of the input) are always added. */
  reason: ui(z.string().max(1000).default(''), {
    title: 'Reason (optional)', description: 'Why a person is asked; the Triage step\'s reasons are added by themselves',
  }),
  assignees: ui(z.array(assignee).min(1, 'add at least one person to ask').max(20), {
    title: 'Ask', description: 'Who is told (each gets a link to the escalation); the first decision counts', expression: false,
  }),
  /** Default: 1440 (a day). */
  timeoutMinutes: ui(z.number().min(0.01).max(60 * 24 * 30).default(60 * 24), {
    title: 'Deadline (minutes)', description: 'With no decision by then, the flow goes on at "timeout"',
  }),
});

type Props = z.infer<typeof props>;

const decisionPayload = z.object({
  escalationId: z.string(),
  status: z.enum(['approved', 'rejected', 'timeout']),
  action: z.enum(['approve', 'edit', 'reply', 'reject', 'timeout']),
  text: z.string().nullable(),
  draft: z.string().nullable(),
  edited: z.boolean(),
  decidedBy: z.string(),
  decidedAt: z.string(),
});

function field(input: Json, ...path: string[]): Json | undefined {
  let value: Json | undefined = input;
  for (const key of path) value = isJsonObject(value) ? value[key] : undefined;
  return value;
}

/** The request from the props and, where they leave it open, the message that reached the step. */
function requestOf(input: Json, p: Props): EscalationRequest {
  const triageReasons = field(input, 'triage', 'reasons');
  const reasons = [...(p.reason ? [p.reason] : []), ...(Array.isArray(triageReasons) ? triageReasons.filter((r): r is string => typeof r === 'string') : [])];
  const message = p.message || field(input, 'message', 'text');
  const accountId = field(input, 'accountId');
  const contactId = field(input, 'contact', 'id');
  return {
    title: p.title, reasons, assignees: p.assignees, deadline: Date.now() + p.timeoutMinutes * 60_000,
    ...(typeof message === 'string' && message ? { message } : {}),
    ...(p.draft ? { draft: p.draft } : {}),
    ...(typeof accountId === 'string' && typeof contactId === 'string' ? { conversation: { credentialId: accountId, contactId } } : {}),
  };
}

function noticeOf(request: EscalationRequest, link: string): Notice {
  const lines = [request.title, ''];
  if (request.reasons.length > 0) lines.push(`Why: ${request.reasons.join('; ')}`);
  if (request.message) lines.push(`Message: ${request.message}`);
  if (request.draft) lines.push(`Drafted reply: ${request.draft}`);
  lines.push('', `Approve, edit, reject or reply: ${link}`);
  return { subject: `Approval needed: ${request.title}`, text: lines.join('\n') };
}

function outputOf(input: Json, decision: EscalationDecision): JsonObject {
  const base = isJsonObject(input) ? input : { input };
  const escalation: JsonObject = {
    id: decision.escalationId, status: decision.status, action: decision.action, edited: decision.edited,
    draft: decision.draft, decidedBy: decision.decidedBy, decidedAt: decision.decidedAt,
  };
  return { ...base, ...(decision.text !== null ? { text: decision.text } : {}), escalation };
}

/**
 * Asks people before the flow goes on: creates an escalation in the inbox (with the conversation,
 * the drafted reply and the reasons), tells each assignee by email, SMS, Telegram or WhatsApp with a
 * signed link to it, and parks the execution until the first decision. `approved` carries the text
 * to send (`text`: the draft, the person's edit, or their own reply, `escalation.action` saying
 * which), `rejected` the input, `timeout` the input when nobody decided by the deadline.
 */
export default defineNode({
  type: 'guardrails.ask-human',
  version: 1,
  title: 'Ask a human',
  category: 'Guardrails',
  description: 'Waits for a person to approve, edit, reject or answer a drafted reply in the Escalations inbox',
  icon: 'bell',
  props,
  credentials: notifySlots,
  ports: { in: ['main'], out: ['approved', 'rejected', 'timeout'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const escalations = ctx.escalations;
    if (!escalations) throw new NonRetryableError('this runtime keeps no escalations inbox', { code: 'unsupported' });
    if (ctx.resumed?.kind === 'event') {
      if (ctx.resumed.error) throw new NonRetryableError(ctx.resumed.error.message, { code: ctx.resumed.error.code ?? 'wait_failed' });
      const decision = decisionPayload.parse(ctx.resumed.payload);
      return { [decision.status]: outputOf(input, decision) };
    }
    // Every assignee's channel must have its account before anyone is asked.
    p.assignees.forEach((a, i) => accountFor(ctx, a, i));
    const request = requestOf(input, p);
    const opened = await escalations.open(request);
    if (ctx.resumed?.kind === 'timer' || opened.status !== 'open') {
      const decision = await escalations.expire(opened.id);
      return { [decision.status]: outputOf(input, decision) };
    }
    // A step that runs again (a retry, a worker that died) tells only those not told yet.
    const notice = noticeOf(request, opened.link);
    for (const [index, person] of request.assignees.entries()) {
      if (opened.notified.includes(index)) continue;
      try {
        await notifyAssignee(ctx, person, index, notice);
        await escalations.notified(opened.id, index, { ok: true });
      } catch (error) {
        await escalations.notified(opened.id, index, { ok: false, error: (error as Error).message });
        throw error;
      }
    }
    return ctx.wait({ event: opened.event, until: opened.deadline });
  },
});
