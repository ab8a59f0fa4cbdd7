import { z } from 'zod';
import { defineNode, isJsonObject, ui, type JsonObject } from '@switchyard/sdk';
import { detectPii, PII_SCAN_LIMIT, PII_TYPES } from '../_shared/pii/detect.js';
import { REDACTION_MODES, redactPii } from '../_shared/pii/redact.js';

const TYPE_LABELS: Record<(typeof PII_TYPES)[number], string> = {
  email: 'Email addresses', phone: 'Phone numbers (international, and national formats of the countries below)', card: 'Card numbers (Luhn-checked)',
  iban: 'IBANs (mod-97-checked)', aadhaar: 'Aadhaar numbers (Verhoeff-checked)', pan: 'Indian PAN', ssn: 'US SSNs (issued ranges only)',
  ip: 'IP addresses', secret: 'API keys and secrets (known prefixes, high entropy)',
};

const props = z.object({
  text: ui(z.string(), { title: 'Text to check', description: 'Usually the message text, e.g. {{ $json.text }}', widget: 'textarea', placeholder: '{{ $json.text }}' }),
  /** Default: every type. */
  types: ui(z.array(z.enum(PII_TYPES)).min(1, 'pick at least one kind of data').default([...PII_TYPES]), {
    title: 'Look for', description: 'The kinds of personal data and secrets to find', enumLabels: TYPE_LABELS, expression: false,
  }),
  /** Default: IN, US, GB, DE, FR. */
  countries: ui(z.array(z.string().regex(/^[A-Z]{2}$/, 'use two-letter country codes, e.g. IN')).default(['IN', 'US', 'GB', 'DE', 'FR']), {
    title: 'Phone countries', description: 'National phone formats of these countries are recognised; +country numbers always are', expression: false,
  }),
  /** Default: 'mask'. */
  redaction: ui(z.enum(REDACTION_MODES).default('mask'), {
    title: 'Redact as', description: 'How each finding is hidden in the redacted text', expression: false,
    enumLabels: { mask: 'Mask (**** **** **** 1111)', type: 'The kind of data ([CARD])', hash: 'The kind and a short hash ([EMAIL:3f9a1c0d2e])' },
  }),
  /** Default: 0.8 (format-only and entropy matches score lower than check-digit matches). */
  minScore: ui(z.number().min(0).max(1).default(0.8), {
    title: 'Minimum score', description: 'Findings scoring below this are ignored: check-digit matches score 0.98–0.99, SSNs 0.8–0.85, high-entropy tokens 0.7', expression: false,
  }),
  /** Default: true. */
  failOnFinding: ui(z.boolean().default(true), {
    title: 'Fail when found', description: 'Off: always continue on pass, with the redacted text', expression: false,
  }),
});

export type PiiProps = z.infer<typeof props>;

/**
 * Finds personal data and secrets in a text, with validated matches only (check digits, issuer
 * ranges, number formats per country), and redacts them. Emits the input plus `pii: { passed,
 * findings: [{ type, start, end, score, reason }], redactedText, overLimit }` on `pass` or `fail`.
 * Findings carry positions, never the value, so the step record holds no more PII than the input.
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
  run(_ctx, input, p) {
    const overLimit = p.text.length > PII_SCAN_LIMIT;
    const findings = detectPii(p.text, { types: p.types, countries: p.countries }).filter((m) => m.score >= p.minScore);
    const redactedText = redactPii(p.text, findings, p.redaction);
    const passed = !overLimit && (!p.failOnFinding || findings.length === 0);
    const pii: JsonObject = {
      passed,
      findings: findings.map(({ type, start, end, score, reason }) => ({ type, start, end, score, reason })),
      redactedText,
      overLimit,
      ...(overLimit ? { reason: `the text is over ${PII_SCAN_LIMIT} characters: only the first ${PII_SCAN_LIMIT} were checked` } : {}),
    };
    const output: JsonObject = { ...(isJsonObject(input) ? input : { input }), pii };
    return passed ? { pass: output } : { fail: output };
  },
});
