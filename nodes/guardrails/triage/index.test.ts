import { describe, expect, it } from 'vitest';
import { runNode } from '../../testing.js';
import triage from './index.js';

const route = async (props: Parameters<typeof triage.props.parse>[0]) => {
  const out = await runNode(triage, { id: 1 }, props as never);
  const [port, value] = Object.entries(out)[0]!;
  return { port, reasons: (value as { triage: { reasons: string[] } }).triage.reasons };
};

describe('guardrails.triage (seed defaults)', () => {
  it('escalates on the escalation words, whatever the confidence, naming the word', async () => {
    expect(await route({ text: 'I want to talk to a HUMAN', confidence: 0.99 })).toEqual({ port: 'escalate', reasons: ['mentions "human"'] });
    expect(await route({ text: 'this is urg3nt', confidence: 0.99 })).toEqual({ port: 'escalate', reasons: ['mentions "urgent"'] });
  });

  it('answers at or above 0.7 and escalates below it', async () => {
    expect(await route({ text: 'When do you open?', confidence: 0.7 })).toEqual({ port: 'respond', reasons: ['confidence 0.7 is at least 0.7'] });
    expect(await route({ text: 'When do you open?', confidence: 0.69 })).toEqual({ port: 'escalate', reasons: ['confidence 0.69 is below 0.7'] });
    expect(await route({ text: 'When do you open?', confidence: 0.5, minConfidence: 0.4 })).toMatchObject({ port: 'respond' });
  });

  it('ignores what the guardrails failed (or escalates it when told), and listed spam words', async () => {
    expect(await route({ text: 'buy followers', guardrailsPassed: false, confidence: 0.9 })).toEqual({ port: 'ignore', reasons: ['the guardrails failed'] });
    expect(await route({ text: 'buy followers', guardrailsPassed: false, onGuardrailFail: 'escalate' })).toMatchObject({ port: 'escalate' });
    expect(await route({ text: 'Please unsubscribe me', ignoreKeywords: ['unsubscribe'], confidence: 0.9 })).toEqual({ port: 'ignore', reasons: ['mentions "unsubscribe"'] });
  });

  it('responds when no rule applies, passing the message on with the decision', async () => {
    expect(await runNode(triage, { id: 7 }, { text: 'thanks!' })).toEqual({ respond: { id: 7, triage: { route: 'respond', reasons: ['no rule applies'] } } });
  });

  it('refuses a confidence outside 0–1 and empty list entries, naming the field', () => {
    expect(triage.props.safeParse({ text: 'x', confidence: 7 }).error?.issues[0]?.path).toEqual(['confidence']);
    expect(triage.props.safeParse({ text: 'x', escalateKeywords: [''] }).error?.issues[0]).toMatchObject({ path: ['escalateKeywords', 0], message: 'an entry is empty' });
  });
});
