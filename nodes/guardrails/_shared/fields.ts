import { z } from 'zod';
import { ui } from '@switchyard/sdk';
import { PII_TYPES } from './pii/detect.js';
import { REDACTION_MODES } from './pii/redact.js';
import { compileRegex } from '../../core/_shared/conditions.js';
import { DEFAULT_REGEX_TIMEOUT_MS } from './regex-runner.js';

/** Form fields the single-check nodes and the Guardrails node share (one schema per thing). */

/** Default: none; at least one entry. */
export const keywordListField = ui(z.array(z.string().trim().min(1, 'an entry is empty')).min(1, 'add at least one word or phrase'), {
  title: 'Words and phrases', description: 'Compared after Unicode normalisation, ignoring case', expression: false,
});
/** Default: true. */
export const wholeWordField = ui(z.boolean().default(true), { title: 'Whole words only', description: 'Off: also inside longer words ("class" in "classic")', expression: false });
/** Default: true. */
export const stripDiacriticsField = ui(z.boolean().default(true), { title: 'Ignore accents', description: 'Read "café" as "cafe"', expression: false });
/** Default: false. */
export const lookalikesField = ui(z.boolean().default(false), {
  title: 'Catch look-alike spellings', description: 'Also read fr33, $cam, f r e e and Cyrillic or Greek look-alike letters', expression: false,
});

/** Patterns must compile; how long they may run is bounded at run time, not guessed here. */
export const patternListField = ui(
  z.array(z.string().min(1, 'a pattern is empty')).min(1, 'add at least one pattern').superRefine((patterns, ctx) => {
    // Only compile errors are refused here; slow patterns are stopped by the time limit.
    for (const [index, pattern] of patterns.entries()) {
      try {
        compileRegex(pattern);
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: [index], message: (error as Error).message });
      }
    }
  }),
  { title: 'Patterns', description: 'JavaScript regular expressions, plain or /pattern/flags', expression: false },
);
/** Default: 250 ms. */
export const regexTimeoutField = ui(z.number().int().min(10).max(5_000).default(DEFAULT_REGEX_TIMEOUT_MS), {
  title: 'Time limit (ms)', description: 'All patterns together; a pattern stopped at the limit fails the check', expression: false, group: 'Advanced',
});

/** Default: every type. */
export const piiTypesField = ui(z.array(z.enum(PII_TYPES)).min(1, 'pick at least one kind of data').default([...PII_TYPES]), {
  title: 'Look for', description: 'The kinds of personal data and secrets to find', expression: false,
  enumLabels: {
    email: 'Email addresses', phone: 'Phone numbers (international, and national formats of the countries below)', card: 'Card numbers (Luhn-checked)',
    iban: 'IBANs (mod-97-checked)', aadhaar: 'Aadhaar numbers (Verhoeff-checked)', pan: 'Indian PAN', ssn: 'US SSNs (issued ranges only)',
    ip: 'IP addresses', secret: 'API keys and secrets (known prefixes, high entropy)',
  },
});
/** Default: IN, US, GB, DE, FR. */
export const phoneCountriesField = ui(z.array(z.string().regex(/^[A-Z]{2}$/, 'use two-letter country codes, e.g. IN')).default(['IN', 'US', 'GB', 'DE', 'FR']), {
  title: 'Phone countries', description: 'National phone formats of these countries are recognised; +country numbers always are', expression: false,
});
/** Default: 'mask'. */
export const redactionField = ui(z.enum(REDACTION_MODES).default('mask'), {
  title: 'Redact as', description: 'How each finding is hidden in the redacted text', expression: false,
  enumLabels: { mask: 'Mask (**** **** **** 1111)', type: 'The kind of data ([CARD])', hash: 'The kind and a short hash ([EMAIL:3f9a1c0d2e])' },
});
/** Default: 0.8. */
export const piiMinScoreField = ui(z.number().min(0).max(1).default(0.8), {
  title: 'Minimum score', description: 'Findings scoring below this are ignored: check-digit matches score 0.98–0.99, SSNs 0.8–0.85, high-entropy tokens 0.7', expression: false,
});

/** Default: 0.75. */
export const injectionThresholdField = ui(z.number().min(0).max(1).default(0.75), {
  title: 'Fail at or above', description: 'Rule weights: asking to ignore instructions 0.95, chat markup 0.9, "no restrictions" 0.7. Higher: fewer catches, fewer false alarms', expression: false,
});

/** Default: none; at least one. */
export const allowedDomainsField = ui(z.array(z.string().trim().regex(/^(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+$/i, 'enter a domain like example.com')).min(1, 'add at least one domain'), {
  title: 'Allowed domains', description: 'Links may point only here (subdomains included), e.g. example.com', expression: false,
});

/** Default: 'gpt-4o-mini'. The model of a check that asks an AI provider (topic classifier, injection judge). */
export const guardModelField = ui(z.string().trim().min(1, 'name the model').default('gpt-4o-mini'), {
  title: 'Model', description: 'The AI provider\'s model that decides (used only with an AI provider credential)', group: 'Provider', placeholder: 'gpt-4o-mini, llama-3.1-8b-instant…',
});
/** Default: 30 000 ms. */
export const guardTimeoutField = ui(z.number().int().min(1_000).max(120_000).default(30_000), {
  title: 'Timeout (ms)', description: 'How long the provider may take; a provider that fails or times out fails the step (closed), never passes', group: 'Provider', expression: false,
});
export const guardModelShape = { model: guardModelField, timeoutMs: guardTimeoutField };
