import { z } from 'zod';
import { isJsonObject, ui, type Json, type JsonObject, type PortOutputs } from '@switchyard/sdk';

/**
 * What every guardrail check reports: whether the text passed, and for each rule that fired, where
 * in the text and with what score. Findings hold positions, never the matched value, so a check's
 * step record carries no more than its input did.
 */
export interface CheckResult {
  check: string;
  passed: boolean;
  findings: JsonObject[];
  /** Why the check could not pass as asked (a pattern stopped at its limit, a text over the limit). */
  reason?: string;
}

/** Texts are checked up to here (characters); a longer one fails with a reason rather than passing unchecked. */
export const CHECK_TEXT_LIMIT = 100_000;

/** The text every check reads. */
export const textField = ui(z.string(), {
  title: 'Text to check', description: 'Usually the message text or the drafted reply, e.g. {{ $json.text }}', widget: 'textarea', placeholder: '{{ $json.text }}',
});

export function overLimit(check: string, text: string): CheckResult | undefined {
  if (text.length <= CHECK_TEXT_LIMIT) return undefined;
  return { check, passed: false, findings: [], reason: `the text is over ${CHECK_TEXT_LIMIT} characters` };
}

export function resultJson(result: CheckResult): JsonObject {
  return { check: result.check, passed: result.passed, findings: result.findings, ...(result.reason ? { reason: result.reason } : {}) };
}

/** The input with `guardrail` (or the key given) added, on `pass` or `fail`. */
export function routeResult(input: Json, passed: boolean, report: JsonObject, key = 'guardrail'): PortOutputs {
  const output: JsonObject = { ...(isJsonObject(input) ? input : { input }), [key]: report };
  return passed ? { pass: output } : { fail: output };
}
