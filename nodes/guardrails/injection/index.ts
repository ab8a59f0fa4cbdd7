import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';
import { injectionCheck } from '../_shared/checks.js';
import { injectionThresholdField } from '../_shared/fields.js';
import { recordCheck } from '../_shared/decision.js';
import { resultJson, routeResult, textField } from '../_shared/result.js';

const props = z.object({ text: textField, threshold: injectionThresholdField });
export type InjectionProps = z.infer<typeof props>;

/**
 * Heuristic prompt-injection and jailbreak check (`_shared/injection.ts` lists the rules): catches
 * the common copy-pasted attacks; a rephrased attack can pass.
 */
export default defineNode({
  type: 'guardrails.injection',
  version: 1,
  title: 'Prompt injection (heuristic)',
  category: 'Guardrails',
  description: 'Fails on messages that try to override the bot\'s instructions or extract them (heuristic rules)',
  icon: 'shield',
  props,
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    const result = injectionCheck(p.text, p.threshold);
    await recordCheck(ctx, p.text, result.passed, [result], started);
    return routeResult(input, result.passed, resultJson(result));
  },
});
