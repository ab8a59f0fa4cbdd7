import { z } from 'zod';

/** What decided: a guardrail check, the Triage node, or a person (or deadline) on an escalation. */
export const DECISION_KINDS = ['guardrail', 'triage', 'escalation'] as const;
export type DecisionKind = (typeof DECISION_KINDS)[number];

/** The outcomes the nodes and the escalations inbox record. */
export const DECISION_OUTCOMES = ['pass', 'fail', 'respond', 'ignore', 'escalate', 'approved', 'edited', 'rejected', 'replied', 'timeout'] as const;

/** One decision as the deciding code reports it (`recordDecision`). */
export interface DecisionInput {
  kind: DecisionKind;
  /** e.g. `guardrails.pii`, `guardrails.triage`, `guardrails.ask-human`. */
  nodeType: string;
  /**
   * The workspace. Default: the workspace of `executionId` (looked up), so callers that only know
   * the execution can record too.
   */
  workspaceId?: string;
  flowId: string;
  executionId: string;
  /** The deciding step's key. Default: none (then a repeated call records a second row). */
  stepId?: string;
  /** pass | fail | respond | ignore | escalate | approved | edited | rejected | replied | timeout. */
  outcome: string;
  /** What was checked. Stored with PII redacted and cut at {@link DECISION_TEXT_LIMIT} characters. Default: none. */
  text?: string;
  /** The rules that fired, e.g. `pii: email`, `keyword: refund`; empty when none did. */
  rules: string[];
  /** Score per rule (0–1). Default: none. */
  scores?: Record<string, number>;
  /** How long deciding took. Default: none. */
  latencyMs?: number;
  /** When. Default: now. */
  at?: Date;
}

/** Stored texts are cut here (characters, after redaction). */
export const DECISION_TEXT_LIMIT = 2_000;

/** One recorded decision as the API lists it. */
export interface DecisionEntry {
  id: string;
  kind: string;
  nodeType: string;
  flowId: string;
  /** Null when the flow was deleted. */
  flowName: string | null;
  executionId: string;
  stepKey: string | null;
  outcome: string;
  /** PII redacted. */
  text: string | null;
  rules: string[];
  scores: Record<string, number>;
  latencyMs: number | null;
  at: string;
  /** UTC date, `YYYY-MM-DD`. */
  day: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isoDate = z.string().max(40).refine((v) => DAY.test(v) || !Number.isNaN(Date.parse(v)), 'an ISO date, like 2026-12-01 or 2026-12-01T10:00:00Z');

/** `GET /api/decisions` filters. Every one optional. */
export const decisionListQuery = z.object({
  /** Only this flow's decisions. */
  flowId: z.string().min(1).max(200).optional(),
  kind: z.enum(DECISION_KINDS).optional(),
  outcome: z.string().min(1).max(40).regex(/^[a-z_]+$/, 'lower-case letters, like pass or escalate').optional(),
  /** At or after (ISO date or time; a bare date means its UTC midnight). */
  from: isoDate.optional(),
  /** At or before (ISO time), or a bare date: that whole UTC day. */
  to: isoDate.optional(),
  /** Only decisions where this rule fired, e.g. `pii: email`. */
  rule: z.string().min(1).max(300).optional(),
  /** At most 200. Default: 50. */
  limit: z.coerce.number().int().min(1).max(200).optional(),
  /** The `nextBefore` of the previous page: decisions older than it. */
  before: z.string().regex(/^\d{1,18}$/, 'the nextBefore of the previous page').optional(),
});
export type DecisionListQuery = z.infer<typeof decisionListQuery>;

export interface DecisionPage {
  decisions: DecisionEntry[];
  /** Pass as `before` for the next (older) page; null on the last page. */
  nextBefore: string | null;
}

/** `GET /api/decisions/summary`. */
export const decisionSummaryQuery = z.object({
  /** Days back from today (UTC), today included. At most 366. Default: 14. */
  days: z.coerce.number().int().min(1).max(366).optional(),
  flowId: z.string().min(1).max(200).optional(),
  kind: z.enum(DECISION_KINDS).optional(),
  /** How many of the most frequent rules. At most 50. Default: 10. */
  topRules: z.coerce.number().int().min(1).max(50).optional(),
});
export type DecisionSummaryQuery = z.infer<typeof decisionSummaryQuery>;

export interface DecisionSummary {
  /** First and last day covered (UTC dates). */
  from: string;
  to: string;
  /** Every day of the range, oldest first, with its count per outcome (days without decisions too). */
  days: { day: string; total: number; outcomes: Record<string, number> }[];
  /** Every outcome seen in the range, most frequent first. */
  outcomes: string[];
  /** The rules that fired most in the range. */
  topRules: { rule: string; count: number }[];
}
