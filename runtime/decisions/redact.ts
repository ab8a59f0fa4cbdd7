import { detectPii } from '../../nodes/guardrails/_shared/pii/detect.js';
import { redactPii } from '../../nodes/guardrails/_shared/pii/redact.js';
import { DECISION_TEXT_LIMIT } from './types.js';

/** Characters read past the cut, so a value that straddles it is found whole and redacted whole. */
const STRADDLE = 256;

/**
 * The text as the decision log stores it: every kind of personal data and secret the guardrails
 * know (all types, the default phone countries, any score) replaced by its type (`[EMAIL]`), then
 * cut at `limit` characters. The recorder does this itself, whatever the caller passed, so no
 * caller (a node, the escalations inbox) can put a readable value in the log by forgetting to.
 * Redaction runs on the original before the cut: cutting first could leave half a card number
 * the detector no longer recognises.
 */
export function redactForLog(text: string, limit = DECISION_TEXT_LIMIT): string {
  const head = text.slice(0, limit + STRADDLE);
  const matches = detectPii(head);
  // Keep whole any value that starts before the cut.
  const cut = Math.max(limit, ...matches.filter((m) => m.start < limit).map((m) => m.end));
  const kept = redactPii(head.slice(0, cut), matches.filter((m) => m.end <= cut), 'type');
  return text.length > cut ? `${kept}…` : kept;
}
