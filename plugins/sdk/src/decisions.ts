/** One decision as a built-in guardrail, triage or escalation node reports it (decision 037). */
export interface DecisionReport {
  kind: 'guardrail' | 'triage' | 'escalation';
  /** pass | fail | respond | ignore | escalate | approved | edited | rejected | replied | timeout. */
  outcome: string;
  /** What was checked; the runtime stores it with PII redacted and cut in length. Default: none. */
  text?: string;
  /** The rules that fired (`pii: email`, `keyword: refund`); empty when none did. */
  rules: string[];
  /** Score per rule, 0–1. Default: none. */
  scores?: Record<string, number>;
  /** How long deciding took. Default: none. */
  latencyMs?: number;
}

/**
 * What guardrail and triage nodes get as `ctx.decisions` (built-in nodes; undefined where the
 * runtime keeps no decision log). The runtime fills in the node type, flow, execution and step.
 */
export interface DecisionCapabilities {
  /** Adds the decision to the workspace's decision log; a failure to record is logged, never thrown. */
  record(decision: DecisionReport): Promise<void>;
}
