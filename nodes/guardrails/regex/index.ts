import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { regexCheck } from '../_shared/checks.js';
import { patternListField, regexTimeoutField } from '../_shared/fields.js';
import { recordCheck } from '../_shared/decision.js';
import { resultJson, routeResult, textField } from '../_shared/result.js';

const props = z.object({
  text: textField,
  patterns: patternListField,
  /** Default: 'match'. */
  failWhen: ui(z.enum(['match', 'no-match']).default('match'), {
    title: 'Fail when', description: 'On a match (block), or when nothing matches (require)', expression: false,
    enumLabels: { match: 'A pattern matches', 'no-match': 'No pattern matches' },
  }),
  timeoutMs: regexTimeoutField,
});
export type RegexProps = z.infer<typeof props>;

/**
 * Checks the text against the user's regular expressions on a worker thread with a time limit: a
 * pattern that backtracks out of control is stopped at the limit and fails the check, saying which.
 */
export default defineNode({
  type: 'guardrails.regex',
  version: 1,
  title: 'Regular expressions',
  category: 'Guardrails',
  description: 'Fails when the text matches (or does not match) your patterns; runaway patterns are stopped at a time limit',
  icon: 'shield',
  props,
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    const result = await regexCheck(p.text, p.patterns, p.failWhen, p.timeoutMs);
    await recordCheck(ctx, p.text, result.passed, [result], started);
    return routeResult(input, result.passed, resultJson(result));
  },
});
