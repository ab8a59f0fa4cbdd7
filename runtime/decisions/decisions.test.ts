import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { openDatabase, type Database } from '../db/knex.js';
import { testConfig } from '../testing/config.js';
import { createDecisionLog, decisionListQuery, redactForLog, type DecisionLog } from './index.js';

let db: Database;
let decisions: DecisionLog;
const DAY_MS = 86_400_000;
const today = new Date();
const yesterday = new Date(today.getTime() - DAY_MS);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

beforeAll(async () => {
  db = await openDatabase(testConfig());
  decisions = createDecisionLog({ knex: db.knex, log: pino({ level: 'silent' }) });
  await db.knex('workspaces').insert({ id: 'other', name: 'Other workspace' });
  await db.knex('flows').insert({ id: 'flow-a', workspace_id: 'default', name: 'Support bot', document: '{}' });
  await db.knex('executions').insert({ id: 'exec-other', workspace_id: 'other', flow_id: 'flow-x', flow_version: 1, status: 'running', mode: 'manual' });
});

afterAll(async () => {
  await db?.close();
});

describe('redactForLog', () => {
  it('replaces personal data by its type and cuts long texts without leaving half a value', () => {
    expect(redactForLog('mail me at asha@example.in or call +91 98765 43210')).toBe('mail me at [EMAIL] or call [PHONE]');
    const card = '4111 1111 1111 1111';
    // The card straddles the cut: it is redacted whole and kept, the rest dropped.
    const text = `${'x'.repeat(1_990)} ${card} and then more text`;
    const stored = redactForLog(text);
    expect(stored).not.toMatch(/\d{4}/);
    expect(stored.endsWith('[CARD]…')).toBe(true);
    expect(redactForLog('short')).toBe('short');
  });
});

describe('the decision log', () => {
  it('records with the text redacted, once per execution, step and kind, and finds the workspace from the execution', async () => {
    const base = { kind: 'guardrail' as const, nodeType: 'guardrails.pii', flowId: 'flow-a', executionId: 'exec-1', stepId: 'pii' };
    await decisions.recordDecision({
      ...base, workspaceId: 'default', outcome: 'fail', text: 'my card is 4111 1111 1111 1111', rules: ['pii: card'], scores: { 'pii: card': 0.99 }, latencyMs: 1.4, at: yesterday,
    });
    // The same step again (a replay after a lost worker): nothing new.
    await decisions.recordDecision({ ...base, workspaceId: 'default', outcome: 'pass', rules: [] });
    await decisions.recordDecision({ ...base, kind: 'escalation', nodeType: 'guardrails.ask-human', flowId: 'flow-x', executionId: 'exec-other', outcome: 'approved', rules: ['edited: no'] });
    const page = await decisions.service.list('default', {});
    expect(page.decisions).toHaveLength(1);
    expect(page.decisions[0]).toMatchObject({
      kind: 'guardrail', outcome: 'fail', text: 'my card is [CARD]', rules: ['pii: card'], scores: { 'pii: card': 0.99 }, latencyMs: 1,
      flowName: 'Support bot', stepKey: 'pii', day: isoDay(yesterday),
    });
    expect((await decisions.service.list('other', {})).decisions.map((d) => d.outcome)).toEqual(['approved']);
    await expect(decisions.recordDecision({ ...base, executionId: 'nope', stepId: 'x', outcome: 'pass', rules: [] })).rejects.toThrow(/no execution "nope"/);
  });

  it('ctx.decisions fills in the step and never throws', async () => {
    const ctx = decisions.capabilities({ workspaceId: 'default', flowId: 'flow-a', executionId: 'exec-2', stepKey: 'triage', nodeType: 'guardrails.triage' });
    await ctx.record({ kind: 'triage', outcome: 'escalate', text: 'I want a human, ssn 123-45-6789', rules: ['mentions "human"'] });
    await ctx.record({ kind: 'triage', outcome: 'escalate', text: 'again', rules: [] });
    const broken = createDecisionLog({ knex: db.knex, log: pino({ level: 'silent' }) }).capabilities({
      workspaceId: 'default', flowId: 'flow-a', executionId: 'exec-2', stepKey: 'x', nodeType: 'guardrails.check',
    });
    // An unknown kind cannot be stored; the step still goes on.
    await expect(broken.record({ kind: 'bogus' as 'guardrail', outcome: 'pass', rules: [] })).resolves.toBeUndefined();
    const rows = (await decisions.service.list('default', { kind: 'triage' })).decisions;
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ executionId: 'exec-2', stepKey: 'triage', nodeType: 'guardrails.triage', text: 'I want a human, ssn [SSN]' });
  });

  it('lists by flow, kind, outcome, day and rule, a page at a time', async () => {
    for (let i = 0; i < 5; i++) {
      await decisions.recordDecision({
        workspaceId: 'default', kind: 'guardrail', nodeType: 'guardrails.keywords', flowId: 'flow-b', executionId: `exec-k${i}`, stepId: 'kw',
        outcome: i % 2 ? 'pass' : 'fail', rules: i % 2 ? [] : ['keyword: refund'], text: `message ${i}`,
      });
    }
    const failed = await decisions.service.list('default', { flowId: 'flow-b', outcome: 'fail', limit: 2 });
    expect(failed.decisions.map((d) => d.text)).toEqual(['message 4', 'message 2']);
    const next = await decisions.service.list('default', { flowId: 'flow-b', outcome: 'fail', limit: 2, before: failed.nextBefore! });
    expect(next.decisions.map((d) => d.text)).toEqual(['message 0']);
    expect(next.nextBefore).toBeNull();
    expect((await decisions.service.list('default', { rule: 'keyword: refund' })).decisions).toHaveLength(3);
    expect((await decisions.service.list('default', { rule: 'pii: card', from: isoDay(yesterday), to: isoDay(yesterday) })).decisions).toHaveLength(1);
    expect((await decisions.service.list('default', { rule: 'pii: card', from: isoDay(today) })).decisions).toHaveLength(0);
    expect(decisionListQuery.safeParse({ from: 'last tuesday' }).success).toBe(false);
  });

  it('summarises per day by outcome with every day of the range, and the rules that fire most', async () => {
    const summary = await decisions.service.summary('default', { days: 3 });
    expect(summary.days.map((d) => d.day)).toEqual([isoDay(new Date(today.getTime() - 2 * DAY_MS)), isoDay(yesterday), isoDay(today)]);
    expect(summary.days[0]).toEqual({ day: summary.days[0]!.day, total: 0, outcomes: {} });
    expect(summary.days[1]).toEqual({ day: isoDay(yesterday), total: 1, outcomes: { fail: 1 } });
    expect(summary.days[2]).toEqual({ day: isoDay(today), total: 6, outcomes: { fail: 3, pass: 2, escalate: 1 } });
    expect(summary.outcomes).toEqual(['fail', 'pass', 'escalate']);
    expect(summary.topRules).toEqual([{ rule: 'keyword: refund', count: 3 }, { rule: 'mentions "human"', count: 1 }, { rule: 'pii: card', count: 1 }]);
    expect((await decisions.service.summary('default', { days: 1, kind: 'triage' })).days).toEqual([{ day: isoDay(today), total: 1, outcomes: { escalate: 1 } }]);
  });
});
