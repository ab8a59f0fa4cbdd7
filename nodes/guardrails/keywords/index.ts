import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';
import { keywordCheck } from '../_shared/checks.js';
import { keywordListField, lookalikesField, stripDiacriticsField, wholeWordField } from '../_shared/fields.js';
import { recordCheck } from '../_shared/decision.js';
import { resultJson, routeResult, textField } from '../_shared/result.js';

const props = z.object({ text: textField, keywords: keywordListField, wholeWord: wholeWordField, stripDiacritics: stripDiacriticsField, lookalikes: lookalikesField });
export type KeywordsProps = z.infer<typeof props>;

/** Fails when the text holds a listed word or phrase; emits the input plus `guardrail: { check, passed, findings }`. */
export default defineNode({
  type: 'guardrails.keywords',
  version: 1,
  title: 'Keyword list',
  category: 'Guardrails',
  description: 'Fails when the text contains one of the listed words or phrases (accents, case and look-alike spellings handled)',
  icon: 'shield',
  props,
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    const result = keywordCheck(p.text, p.keywords, p);
    await recordCheck(ctx, p.text, result.passed, [result], started);
    return routeResult(input, result.passed, resultJson(result));
  },
});
