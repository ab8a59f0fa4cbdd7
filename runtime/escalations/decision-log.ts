import type { EscalationAction } from '@switchyard/sdk';
import type { DecisionInput } from '../decisions/index.js';
import type { DecidedEscalation } from './store.js';

/** The decision log's outcome for each way an escalation ends (decision 037's words). */
const OUTCOME: Record<EscalationAction, string> = { approve: 'approved', edit: 'edited', reject: 'rejected', reply: 'replied', timeout: 'timeout' };

/**
 * An escalation's decision as the decision log records it: the text the flow went on with (or the
 * draft, or the message, when nothing was sent), the reasons it was raised as the rules, and how
 * long people took to decide as the latency.
 */
export function decisionLogEntry({ escalation, stepKey, decision }: DecidedEscalation): DecisionInput {
  const text = decision.text ?? escalation.draft ?? escalation.message;
  const decidedAt = new Date(decision.decidedAt);
  return {
    kind: 'escalation', nodeType: 'guardrails.ask-human',
    flowId: escalation.flowId, executionId: escalation.executionId, stepId: stepKey,
    outcome: OUTCOME[decision.action], rules: escalation.reasons,
    latencyMs: Math.max(0, decidedAt.getTime() - new Date(escalation.createdAt).getTime()), at: decidedAt,
    ...(text !== null ? { text } : {}),
  };
}
