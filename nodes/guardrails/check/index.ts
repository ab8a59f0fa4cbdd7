import { z } from 'zod';
import { defineNode, ui, type JsonObject } from '@switchyard/sdk';
import { injectionCheck, keywordCheck, linkCheck, piiCheck, regexCheck } from '../_shared/checks.js';
import {
  allowedDomainsField, injectionThresholdField, keywordListField, lookalikesField, patternListField, phoneCountriesField,
  piiMinScoreField, piiTypesField, redactionField, regexTimeoutField, stripDiacriticsField, wholeWordField,
} from '../_shared/fields.js';
import { recordCheck } from '../_shared/decision.js';
import { resultJson, routeResult, textField, type CheckResult } from '../_shared/result.js';

const toggle = (title: string, description: string, on = true) => ui(z.boolean().default(on), { title, description, expression: false });

const props = z.object({
  text: textField,
  /** Default: on. */
  piiEnabled: toggle('Personal data', 'Fail on emails, phone numbers, cards, IBANs, Aadhaar, PAN, SSNs, IPs and secrets'),
  piiTypes: piiTypesField,
  countries: phoneCountriesField,
  redaction: redactionField,
  piiMinScore: piiMinScoreField,
  /** Default: on. */
  injectionEnabled: toggle('Prompt injection (heuristic)', 'Fail on messages that try to override or extract the bot\'s instructions'),
  injectionThreshold: injectionThresholdField,
  /** Default: none (the check is off while the list is empty). */
  keywords: keywordListField.optional(),
  wholeWord: wholeWordField,
  stripDiacritics: stripDiacriticsField,
  lookalikes: lookalikesField,
  /** Default: none (off). */
  patterns: patternListField.optional(),
  regexTimeoutMs: regexTimeoutField,
  /** Default: none (links are not checked). */
  allowedDomains: allowedDomainsField.optional(),
});

export type GuardrailsProps = z.infer<typeof props>;

/**
 * Every local check in one step: personal data, prompt injection, keyword list, regular
 * expressions and a link allow-list. Passes only when every enabled check passes; emits the input
 * plus `guardrails: { passed, failed: [check names], results: [...], redactedText }`.
 */
export default defineNode({
  type: 'guardrails.check',
  version: 1,
  title: 'Guardrails',
  category: 'Guardrails',
  description: 'Runs the personal-data, prompt-injection, keyword, pattern and link checks together: pass only if all pass',
  icon: 'shield',
  props,
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    const results: CheckResult[] = [];
    let redactedText = p.text;
    if (p.piiEnabled) {
      const pii = piiCheck(p.text, { types: p.piiTypes, countries: p.countries, minScore: p.piiMinScore, redaction: p.redaction });
      redactedText = pii.redactedText;
      results.push(pii);
    }
    if (p.injectionEnabled) results.push(injectionCheck(p.text, p.injectionThreshold));
    if (p.keywords) results.push(keywordCheck(p.text, p.keywords, p));
    if (p.patterns) results.push(await regexCheck(p.text, p.patterns, 'match', p.regexTimeoutMs));
    if (p.allowedDomains) results.push(linkCheck(p.text, p.allowedDomains));
    const failed = results.filter((r) => !r.passed).map((r) => r.check);
    const report: JsonObject = { passed: failed.length === 0, failed, results: results.map(resultJson), redactedText };
    await recordCheck(ctx, p.text, failed.length === 0, results, started);
    return routeResult(input, failed.length === 0, report, 'guardrails');
  },
});
