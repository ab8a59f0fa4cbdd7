import type { Knex } from 'knex';
import { redactForLog } from './redact.js';
import { DECISION_KINDS, type DecisionInput } from './types.js';

/** Rules kept per decision, and characters per rule name: a runaway list cannot bloat a row. */
const MAX_RULES = 50;
const MAX_RULE_LENGTH = 300;

function finiteScores(scores: Record<string, number> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [rule, score] of Object.entries(scores ?? {}).slice(0, MAX_RULES)) {
    if (Number.isFinite(score)) out[rule.slice(0, MAX_RULE_LENGTH)] = score;
  }
  return out;
}

/**
 * Records one decision (decision 037). Idempotent per execution, step and kind: a step that runs
 * again after a lost worker leaves the first row as it was. The text is redacted here (see
 * `redactForLog`), never trusted to arrive redacted.
 */
export async function recordDecision(knex: Knex, input: DecisionInput): Promise<void> {
  if (!DECISION_KINDS.includes(input.kind)) throw new TypeError(`unknown decision kind "${String(input.kind)}"`);
  let workspaceId = input.workspaceId;
  if (!workspaceId) {
    const execution = await knex('executions').where({ id: input.executionId }).first('workspace_id');
    if (!execution) throw new TypeError(`no execution "${input.executionId}" to record a decision for`);
    workspaceId = String(execution.workspace_id);
  }
  const at = input.at ?? new Date();
  await knex('decisions').insert({
    workspace_id: workspaceId, kind: input.kind, node_type: input.nodeType, flow_id: input.flowId, execution_id: input.executionId,
    step_key: input.stepId ?? null, outcome: input.outcome,
    text: input.text === undefined ? null : redactForLog(input.text),
    rules: [...new Set(input.rules.map((r) => r.slice(0, MAX_RULE_LENGTH)))].slice(0, MAX_RULES),
    scores: JSON.stringify(finiteScores(input.scores)),
    latency_ms: input.latencyMs === undefined || !Number.isFinite(input.latencyMs) ? null : Math.max(0, Math.round(input.latencyMs)),
    at, day: at.toISOString().slice(0, 10),
  }).onConflict(['execution_id', 'step_key', 'kind']).ignore();
}
