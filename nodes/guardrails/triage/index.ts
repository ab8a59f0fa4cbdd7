import { z } from 'zod';
import { defineNode, isJsonObject, ui, type JsonObject } from '@switchyard/sdk';
import { findKeywords } from '../_shared/keywords.js';
import { textField } from '../_shared/result.js';

const props = z.object({
  text: textField,
  /** Default: human, person, agent, urgent, refund, manager, complaint, lawyer. */
  escalateKeywords: ui(z.array(z.string().trim().min(1, 'an entry is empty')).default(['human', 'person', 'agent', 'urgent', 'refund', 'manager', 'complaint', 'lawyer']), {
    title: 'Escalate when the message mentions', description: 'Words and phrases that send the message to a person (case, accents and look-alike spellings ignored)', expression: false,
  }),
  /** Default: none. */
  ignoreKeywords: ui(z.array(z.string().trim().min(1, 'an entry is empty')).default([]), {
    title: 'Ignore when the message mentions', description: 'Words and phrases of messages that need no answer (spam, "unsubscribe")', expression: false,
  }),
  /** Default: empty (no AI answer to judge: only the keyword and guardrail rules apply). */
  confidence: ui(z.union([z.number().min(0).max(1), z.literal('')]).default(''), {
    title: 'AI confidence (0–1)', description: 'The drafted answer\'s confidence, e.g. {{ $json.confidence }}', placeholder: '{{ $json.confidence }}',
  }),
  /** Default: 0.7. */
  minConfidence: ui(z.number().min(0).max(1).default(0.7), {
    title: 'Respond only when the confidence is at least',
    description: 'At or above this the bot answers; below it the message goes to a person. Raise it for fewer automatic answers',
    expression: false,
  }),
  /** Default: empty (no guardrail result to judge). */
  guardrailsPassed: ui(z.union([z.boolean(), z.literal('')]).default(''), {
    title: 'Guardrails passed', description: 'The Guardrails or Moderation step\'s result, e.g. {{ $json.guardrails.passed }}', placeholder: '{{ $json.guardrails.passed }}',
  }),
  /** Default: 'ignore'. */
  onGuardrailFail: ui(z.enum(['ignore', 'escalate']).default('ignore'), {
    title: 'When the guardrails fail', description: 'Abuse and spam are ignored by default; escalate to have a person look at them', expression: false,
    enumLabels: { ignore: 'Ignore the message', escalate: 'Send it to a person' },
  }),
});

export type TriageProps = z.infer<typeof props>;

type Route = 'respond' | 'ignore' | 'escalate';

/**
 * The rules in the order they are applied; the first that decides wins. `rules` names them for the
 * decision log without the per-message numbers, so the same rule counts as one.
 */
function decide(p: TriageProps): { route: Route; reasons: string[]; rules: string[] } {
  const escalate = findKeywords(p.text, p.escalateKeywords, { lookalikes: true });
  if (escalate.length > 0) return { route: 'escalate', reasons: [...new Set(escalate.map((m) => `mentions "${m.keyword}"`))], rules: [...new Set(escalate.map((m) => `escalate word: ${m.keyword}`))] };
  if (p.guardrailsPassed === false) return { route: p.onGuardrailFail, reasons: ['the guardrails failed'], rules: ['guardrails failed'] };
  const ignore = findKeywords(p.text, p.ignoreKeywords, { lookalikes: true });
  if (ignore.length > 0) return { route: 'ignore', reasons: [...new Set(ignore.map((m) => `mentions "${m.keyword}"`))], rules: [...new Set(ignore.map((m) => `ignore word: ${m.keyword}`))] };
  if (p.confidence === '') return { route: 'respond', reasons: ['no rule applies'], rules: [] };
  if (p.confidence < p.minConfidence) return { route: 'escalate', reasons: [`confidence ${p.confidence} is below ${p.minConfidence}`], rules: [`confidence below ${p.minConfidence}`] };
  return { route: 'respond', reasons: [`confidence ${p.confidence} is at least ${p.minConfidence}`], rules: [`confidence at least ${p.minConfidence}`] };
}

/**
 * Routes a message to exactly one of `respond`, `ignore` or `escalate`, with the reasons attached
 * (`triage: { route, reasons }`). The defaults reproduce the seed product: escalate on the
 * escalation words, ignore what the guardrails failed (abuse, spam), answer only at confidence 0.7
 * or more and escalate below it.
 */
export default defineNode({
  type: 'guardrails.triage',
  version: 1,
  title: 'Triage',
  category: 'Guardrails',
  description: 'Decides respond, ignore or escalate from keywords, guardrail results and the AI\'s confidence',
  icon: 'route',
  props,
  ports: { in: ['main'], out: ['respond', 'ignore', 'escalate'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    const { route, reasons, rules } = decide(p);
    await ctx.decisions?.record({
      kind: 'triage', outcome: route, text: p.text, rules, ...(p.confidence === '' ? {} : { scores: { confidence: p.confidence } }), latencyMs: performance.now() - started,
    });
    const output: JsonObject = { ...(isJsonObject(input) ? input : { input }), triage: { route, reasons } };
    return { [route]: output };
  },
});
