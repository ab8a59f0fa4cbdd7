import { z } from 'zod';
import { defineNode, NonRetryableError, ui, type JsonObject } from '@switchyard/sdk';
import { AI_PROVIDER_KIND } from '../../ai/_shared/presets.js';
import { injectionCheck, keywordCheck, linkCheck, piiCheck, regexCheck } from '../_shared/checks.js';
import {
  allowedDomainsField, guardModelField, guardTimeoutField, injectionThresholdField, keywordListField, lookalikesField, patternListField, phoneCountriesField,
  piiMinScoreField, piiTypesField, redactionField, regexTimeoutField, stripDiacriticsField, wholeWordField,
} from '../_shared/fields.js';
import { judgeInjection, judgeThresholdField } from '../_shared/judge.js';
import { topicCheckLocal, topicCheckProvider, topicListField, topicMethodField, topicSimilarityField } from '../_shared/topics.js';
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
  /** Default: off. */
  injectionJudge: toggle('Prompt injection: LLM judge', 'After the rules pass, ask the AI provider\'s model whether the message is an attack (needs the AI provider credential)', false),
  judgeThreshold: judgeThresholdField,
  /** Default: none (the topic check is off while the list is empty). */
  topics: topicListField.optional(),
  topicMethod: topicMethodField,
  topicMinSimilarity: topicSimilarityField,
  /** Default: 'gpt-4o-mini'. */
  providerModel: guardModelField,
  /** Default: 30 000 ms. */
  providerTimeoutMs: guardTimeoutField,
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
 * Every check in one step: personal data, prompt injection (rules, optionally an LLM judge), keyword
 * list, regular expressions, a link allow-list and a topic allow-list. Passes only when every enabled
 * check passes; emits the input plus `guardrails: { passed, failed: [check names], results: [...],
 * redactedText }`. A provider the judge or topic check needs that cannot be asked fails the step.
 */
export default defineNode({
  type: 'guardrails.check',
  version: 1,
  title: 'Guardrails',
  category: 'Guardrails',
  description: 'Runs the personal-data, prompt-injection, keyword, pattern, link and topic checks together: pass only if all pass',
  icon: 'shield',
  props,
  credentials: { provider: { kind: AI_PROVIDER_KIND, optional: true, title: 'AI provider (optional: LLM judge, topic classification)' } },
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
    const guard = () => {
      const credential = ctx.credentials.provider;
      if (!credential) throw new NonRetryableError('the LLM judge and "Ask the AI provider" topics need the AI provider credential: choose one', { code: 'credential_missing' });
      return { credential, model: p.providerModel, timeoutMs: p.providerTimeoutMs };
    };
    if (p.injectionEnabled) {
      const rules = injectionCheck(p.text, p.injectionThreshold);
      // The judge only reads what the rules let through.
      results.push(p.injectionJudge && rules.passed && rules.reason === undefined ? await judgeInjection(ctx, guard(), p.text, p.judgeThreshold) : rules);
    }
    if (p.topics) results.push(p.topicMethod === 'provider' ? await topicCheckProvider(ctx, guard(), p.text, p.topics) : await topicCheckLocal(ctx, p.text, p.topics, p.topicMinSimilarity));
    if (p.keywords) results.push(keywordCheck(p.text, p.keywords, p));
    if (p.patterns) results.push(await regexCheck(p.text, p.patterns, 'match', p.regexTimeoutMs));
    if (p.allowedDomains) results.push(linkCheck(p.text, p.allowedDomains));
    const failed = results.filter((r) => !r.passed).map((r) => r.check);
    const report: JsonObject = { passed: failed.length === 0, failed, results: results.map(resultJson), redactedText };
    await recordCheck(ctx, p.text, failed.length === 0, results, started);
    return routeResult(input, failed.length === 0, report, 'guardrails');
  },
});
