import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { piiCheck } from '../_shared/checks.js';
import { phoneCountriesField, piiMinScoreField, piiTypesField, redactionField } from '../_shared/fields.js';
import { recordCheck } from '../_shared/decision.js';
import { resultJson, routeResult, textField } from '../_shared/result.js';

const props = z.object({
  text: textField,
  types: piiTypesField,
  countries: phoneCountriesField,
  redaction: redactionField,
  minScore: piiMinScoreField,
  /** Default: true. */
  failOnFinding: ui(z.boolean().default(true), {
    title: 'Fail when found', description: 'Off: always continue on pass, with the redacted text', expression: false,
  }),
});

export type PiiProps = z.infer<typeof props>;

/**
 * Finds personal data and secrets in a text, with validated matches only (check digits, issuer
 * ranges, number formats per country), and redacts them. Emits the input plus `guardrail: { check,
 * passed, findings: [{ rule, start, end, score, reason }], redactedText }` on `pass` or `fail`.
 */
export default defineNode({
  type: 'guardrails.pii',
  version: 1,
  title: 'Detect PII',
  category: 'Guardrails',
  description: 'Finds and redacts emails, phone numbers, card numbers, IBANs, Aadhaar, PAN, SSNs, IP addresses and API keys',
  icon: 'shield',
  props,
  ports: { in: ['main'], out: ['pass', 'fail'] },
  sideEffects: false,
  async run(ctx, input, p) {
    const started = performance.now();
    const result = piiCheck(p.text, p);
    const passed = result.reason === undefined && (result.passed || !p.failOnFinding);
    await recordCheck(ctx, p.text, passed, [result], started);
    return routeResult(input, passed, { ...resultJson(result), passed, redactedText: result.redactedText });
  },
});
