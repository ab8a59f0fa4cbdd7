import { z } from 'zod';
import { defineNode, type JsonObject } from '@switchyard/sdk';
import { AI_PROVIDER_KIND } from '../../ai/_shared/presets.js';
import { injectionCheck } from '../_shared/checks.js';
import { guardModelShape, injectionThresholdField } from '../_shared/fields.js';
import { judgeInjection, judgeThresholdField } from '../_shared/judge.js';
import { recordCheck } from '../_shared/decision.js';
import { resultJson, routeResult, textField } from '../_shared/result.js';

const props = z.object({ text: textField, threshold: injectionThresholdField, judgeThreshold: judgeThresholdField, ...guardModelShape });
export type InjectionProps = z.infer<typeof props>;

/**
 * Prompt-injection and jailbreak check: the heuristic rules first (`_shared/injection.ts`; they catch
 * the common copy-pasted attacks), then, when the node has a judge credential and the rules passed,
 * an LLM judge (`_shared/judge.ts`) for rephrased ones. A judge that cannot be asked fails the step
 * (the on-error setting decides; never a silent pass).
 */
export default defineNode({
  type: 'guardrails.injection',
  version: 1,
  title: 'Prompt injection',
  category: 'Guardrails',
  description: 'Fails on messages that try to override the bot\'s instructions or extract them (heuristic rules, plus an optional LLM judge)',
  icon: 'shield',
  props,
  credentials: { judge: { kind: AI_PROVIDER_KIND, optional: true, title: 'LLM judge (optional AI provider)' } },
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    let result = injectionCheck(p.text, p.threshold);
    let judged: JsonObject = {};
    const credential = ctx.credentials.judge;
    // A message the rules already fail is not sent to the judge (no cost, no delay).
    if (result.passed && result.reason === undefined && credential) {
      const { cost, ...verdict } = await judgeInjection(ctx, { credential, model: p.model, timeoutMs: p.timeoutMs }, p.text, p.judgeThreshold);
      result = verdict;
      judged = cost;
    }
    await recordCheck(ctx, p.text, result.passed, [result], started);
    return routeResult(input, result.passed, { ...resultJson(result), ...judged });
  },
});
