import { findKeywords, type KeywordOptions } from './keywords.js';
import { detectInjection } from './injection.js';
import { detectPii, type PiiOptions } from './pii/detect.js';
import { redactPii, type RedactionMode } from './pii/redact.js';
import { runRegexes } from './regex-runner.js';
import { overLimit, type CheckResult } from './result.js';
import { disallowedLinks } from './urls.js';

/** The local checks, each usable alone (one node per check) and together (the Guardrails node). */

export function keywordCheck(text: string, keywords: readonly string[], options: KeywordOptions): CheckResult {
  const over = overLimit('keywords', text);
  if (over) return over;
  const findings = findKeywords(text, keywords, options).map((m) => ({ rule: `keyword: ${m.keyword}`, start: m.start, end: m.end, score: 1 }));
  return { check: 'keywords', passed: findings.length === 0, findings };
}

/**
 * User patterns run with a time limit; a pattern stopped at its limit fails the check (fail closed)
 * and says so. `failWhen: 'match'` fails on any match; `'no-match'` fails when none matches.
 */
export async function regexCheck(text: string, patterns: readonly string[], failWhen: 'match' | 'no-match', timeoutMs: number): Promise<CheckResult> {
  const over = overLimit('regex', text);
  if (over) return over;
  const outcome = await runRegexes(patterns, text, timeoutMs);
  if (!outcome.ok) {
    return { check: 'regex', passed: false, findings: [{ rule: `regex: ${outcome.pattern}`, score: 1 }], reason: `${outcome.pattern}: ${outcome.message}` };
  }
  const findings = outcome.hits.map((h) => ({ rule: `regex: ${h.pattern}`, start: h.start, end: h.end, score: 1 }));
  return { check: 'regex', passed: failWhen === 'match' ? findings.length === 0 : findings.length > 0, findings };
}

export function piiCheck(text: string, options: PiiOptions & { minScore: number; redaction: RedactionMode }): CheckResult & { redactedText: string } {
  const over = overLimit('pii', text);
  const findings = detectPii(text, options).filter((m) => m.score >= options.minScore);
  const redactedText = redactPii(text, findings, options.redaction);
  const result = { check: 'pii', passed: !over && findings.length === 0, findings: findings.map(({ type, start, end, score, reason }) => ({ rule: type, start, end, score, reason })), redactedText };
  return over ? { ...result, reason: over.reason } : result;
}

export function injectionCheck(text: string, threshold: number): CheckResult {
  const over = overLimit('injection', text);
  if (over) return over;
  const findings = detectInjection(text).filter((f) => f.score >= threshold).map((f) => ({ rule: f.rule, description: f.description, start: f.start, end: f.end, score: f.score }));
  return { check: 'injection', passed: findings.length === 0, findings };
}

export function linkCheck(text: string, allowedDomains: readonly string[]): CheckResult {
  const over = overLimit('links', text);
  if (over) return over;
  const findings = disallowedLinks(text, allowedDomains).map((l) => ({ rule: `link to ${l.host}`, start: l.start, end: l.end, score: 1 }));
  return { check: 'links', passed: findings.length === 0, findings };
}
