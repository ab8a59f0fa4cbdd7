import { beforeAll, describe, expect, it } from 'vitest';
import { flow, runAndWait, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';
import { runNode } from '../../testing.js';
import keywords from '../keywords/index.js';
import { firedRules } from './decision.js';

/** Guardrail and triage steps of a real execution (worker, Postgres, Redis) land in the decision log. */
let runtime: Runtime;
beforeAll(async () => {
  runtime = await startTestRuntime();
}, 60_000);

describe('firedRules', () => {
  it('names each rule by its check once, with its highest score, and a check stopped by its limit by the reason', () => {
    expect(firedRules([
      { check: 'pii', passed: false, findings: [{ rule: 'email', score: 0.9 }, { rule: 'email', score: 0.99 }, { rule: 'phone', score: 0.8 }] },
      { check: 'keywords', passed: false, findings: [{ rule: 'keyword: refund', score: 1 }] },
      { check: 'links', passed: false, findings: [{ rule: 'link to evil.io', score: 1 }] },
      { check: 'regex', passed: false, findings: [], reason: 'the text is over 100000 characters' },
    ])).toEqual({
      rules: ['pii: email', 'pii: phone', 'keyword: refund', 'link to evil.io', 'regex: the text is over 100000 characters'],
      scores: { 'pii: email': 0.99, 'pii: phone': 0.8, 'keyword: refund': 1, 'link to evil.io': 1 },
    });
  });

  it('a node run without a decision log (plugin tests) still decides', async () => {
    expect(await runNode(keywords, {}, { text: 'refund please', keywords: ['refund'] })).toMatchObject({ fail: {} });
  });
});

describe('guardrail and triage steps record their decisions', () => {
  it('records the outcome, rules, scores, latency and the redacted text, filled in with flow, execution and step', async () => {
    const doc = flow(`decisions ${Math.random()}`, [
      { id: 'in', type: 'core.manual-trigger' },
      { id: 'check', type: 'guardrails.check', props: { text: '{{ $json.text }}', keywords: ['crypto'] } },
      { id: 'triage', type: 'guardrails.triage', props: { text: '{{ $trigger.text }}', guardrailsPassed: '{{ $json.guardrails.passed }}' } },
      { id: 'clean', type: 'guardrails.triage', props: { text: '{{ $trigger.text }}', confidence: 0.9 } },
    ], ['in->check', 'check:fail->triage', 'check:pass->clean']);
    const { id: flowId } = await runtime.flows.create(WS, doc);
    const failed = await runAndWait(runtime, flowId, { text: 'Cheap crypto here, mail me at asha@example.in' });
    expect(failed.status).toBe('succeeded');
    const passed = await runAndWait(runtime, flowId, { text: 'When do you open?' });
    expect(passed.status).toBe('succeeded');

    const rows = (await runtime.decisions.list(WS, { flowId })).decisions;
    const of = (executionId: string, stepKey: string) => rows.find((r) => r.executionId === executionId && r.stepKey === stepKey);
    expect(rows).toHaveLength(4);
    expect(of(failed.id, 'check')).toMatchObject({
      kind: 'guardrail', nodeType: 'guardrails.check', outcome: 'fail', rules: ['pii: email', 'keyword: crypto'],
      text: 'Cheap crypto here, mail me at [EMAIL]', scores: { 'keyword: crypto': 1 },
    });
    expect(of(failed.id, 'check')!.latencyMs).toBeGreaterThanOrEqual(0);
    // Triage ignores what the guardrails failed (the seed default).
    expect(of(failed.id, 'triage')).toMatchObject({ kind: 'triage', nodeType: 'guardrails.triage', outcome: 'ignore', rules: ['guardrails failed'], text: 'Cheap crypto here, mail me at [EMAIL]' });
    expect(of(passed.id, 'check')).toMatchObject({ outcome: 'pass', rules: [], text: 'When do you open?' });
    expect(of(passed.id, 'clean')).toMatchObject({ outcome: 'respond', rules: ['confidence at least 0.7'], scores: { confidence: 0.9 } });

    const summary = await runtime.decisions.summary(WS, { days: 1, flowId });
    expect(summary.days[0]!.outcomes).toEqual({ fail: 1, ignore: 1, pass: 1, respond: 1 });
    expect(summary.topRules.map((r) => r.rule).sort()).toEqual(['confidence at least 0.7', 'guardrails failed', 'keyword: crypto', 'pii: email']);
  }, 60_000);
});
