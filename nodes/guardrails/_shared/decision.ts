import type { DecisionReport, NodeContext } from '@switchyard/sdk';
import type { CheckResult } from './result.js';

// Findings of these checks already name their kind (`keyword: refund`, `regex: \d+`, `link to x.com`).
const NAMED = /^(keyword|regex): |^link to /;

/**
 * The rules that fired, as the decision log names them (`pii: email`, `injection: ignore-instructions`,
 * `keyword: refund`), each with its highest score; a check that could not run as asked (text over
 * the limit) names its reason as the rule.
 */
export function firedRules(results: readonly CheckResult[]): { rules: string[]; scores: Record<string, number> } {
  const scores: Record<string, number> = {};
  const rules: string[] = [];
  const add = (rule: string, score: number | undefined) => {
    if (!rules.includes(rule)) rules.push(rule);
    if (typeof score === 'number') scores[rule] = Math.max(scores[rule] ?? 0, score);
  };
  for (const result of results) {
    for (const finding of result.findings) {
      const rule = typeof finding.rule === 'string' ? finding.rule : 'rule';
      add(NAMED.test(rule) ? rule : `${result.check}: ${rule}`, typeof finding.score === 'number' ? finding.score : undefined);
    }
    if (result.reason && result.findings.length === 0) add(`${result.check}: ${result.reason}`, undefined);
  }
  return { rules, scores };
}

/**
 * Records a guardrail step's outcome in the workspace's decision log: pass or fail, the rules that
 * fired and their scores, the time since `started` (`performance.now()`), and the checked text
 * (redacted by the runtime). Nothing happens where the runtime keeps no log (plugin tests).
 */
export async function recordCheck(ctx: Pick<NodeContext, 'decisions'>, text: string, passed: boolean, results: readonly CheckResult[], started: number): Promise<void> {
  if (!ctx.decisions) return;
  const report: DecisionReport = { kind: 'guardrail', outcome: passed ? 'pass' : 'fail', text, ...firedRules(results), latencyMs: performance.now() - started };
  await ctx.decisions.record(report);
}
