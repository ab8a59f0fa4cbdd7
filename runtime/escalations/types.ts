import { z } from 'zod';
import type { EscalationAction, EscalationAssignee, EscalationStatus } from '@switchyard/sdk';

/** How notifying one assignee went. */
export interface EscalationNotificationRecord extends EscalationAssignee {
  ok: boolean;
  error?: string;
  at: string;
}

/** An escalation as the inbox lists it. */
export interface EscalationSummary {
  id: string;
  status: EscalationStatus;
  title: string;
  message: string | null;
  draft: string | null;
  reasons: string[];
  flowId: string;
  /** Null when the flow was deleted. */
  flowName: string | null;
  executionId: string;
  nodeId: string;
  conversationId: string | null;
  assignees: EscalationAssignee[];
  notifications: EscalationNotificationRecord[];
  deadline: string;
  action: EscalationAction | null;
  /** The text the flow went on with (the draft, the person's edit, their own reply). */
  finalText: string | null;
  /** True when the final text differs from the draft. */
  edited: boolean;
  decidedBy: string | null;
  decidedAt: string | null;
  createdAt: string;
}

/** One message of the escalated conversation. */
export interface EscalationConversationMessage {
  id: string;
  direction: 'in' | 'out';
  text: string | null;
  messageType: string;
  createdAt: string;
}

/** One escalation with the conversation it came from (its latest messages, oldest first). */
export interface EscalationDetail extends EscalationSummary {
  conversation: {
    id: string;
    channel: string;
    contactId: string;
    contactName: string | null;
    messages: EscalationConversationMessage[];
  } | null;
}

export interface EscalationPage {
  escalations: EscalationSummary[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

const isoTime = z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO time, like 2026-12-01T10:00:00Z');

/** `GET /api/escalations` filters. Every one optional. */
export const escalationListQuery = z.object({
  /** Only this flow's escalations. */
  flowId: z.string().min(1).max(200).optional(),
  /** open | approved | rejected | timeout. */
  status: z.enum(['open', 'approved', 'rejected', 'timeout']).optional(),
  /** Only escalations one of whose assignees has exactly this address. */
  assignee: z.string().min(1).max(320).optional(),
  /** Only escalations created at least this many minutes ago (waiting long). */
  minAgeMinutes: z.coerce.number().int().min(0).max(525_600).optional(),
  /** Only escalations created at most this many minutes ago (recent). */
  maxAgeMinutes: z.coerce.number().int().min(0).max(525_600).optional(),
  /** Per page, at most 200. Default: 50. */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** The page's `nextBefore`: escalations created before it. */
  before: isoTime.optional(),
});
export type EscalationListQuery = z.infer<typeof escalationListQuery>;

/** `POST /api/escalations/:id/decision`: approve (with `text` different from the draft: edit and approve), reject, or reply in one's own words. */
export const escalationDecisionInput = z.object({
  action: z.enum(['approve', 'reject', 'reply']),
  /** The text to send: optional for approve (default: the draft), required for reply, not taken with reject. */
  text: z.string().trim().min(1, 'the text is empty').max(10_000).optional(),
}).superRefine((body, ctx) => {
  if (body.action === 'reply' && body.text === undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'a reply needs its text' });
  if (body.action === 'reject' && body.text !== undefined) ctx.addIssue({ code: 'custom', path: ['text'], message: 'a rejection takes no text' });
});
export type EscalationDecisionInput = z.infer<typeof escalationDecisionInput>;
