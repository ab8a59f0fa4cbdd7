import { createHash } from 'node:crypto';
import type { PiiMatch } from './detect.js';

/**
 * How a finding is hidden: `mask` keeps the shape and the last four characters of numbers
 * (`**** **** **** 1111`, `a***@example.com`); `type` puts the kind in brackets (`[CARD]`); `hash`
 * puts the kind and a short SHA-256 of the value (`[EMAIL:3f9a1c0d2e]`), so the same value can be
 * told apart from others without being readable.
 */
export const REDACTION_MODES = ['mask', 'type', 'hash'] as const;
export type RedactionMode = (typeof REDACTION_MODES)[number];

function mask(match: PiiMatch): string {
  if (match.type === 'email') {
    const at = match.text.indexOf('@');
    return `${match.text[0]}${'*'.repeat(Math.max(at - 1, 1))}${match.text.slice(at)}`;
  }
  const keep = ['card', 'phone', 'iban', 'aadhaar'].includes(match.type) ? 4 : 0;
  let kept = 0;
  // From the end: keep the last `keep` letters and digits, star the rest, leave separators alone.
  return [...match.text].reverse().map((char) => {
    if (!/[A-Za-z0-9]/.test(char)) return char;
    return kept++ < keep ? char : '*';
  }).reverse().join('');
}

function replacement(match: PiiMatch, mode: RedactionMode): string {
  if (mode === 'mask') return mask(match);
  const label = match.type.toUpperCase();
  if (mode === 'type') return `[${label}]`;
  return `[${label}:${createHash('sha256').update(match.text).digest('hex').slice(0, 10)}]`;
}

/** `text` with every finding replaced as `mode` says (findings must not overlap; `detectPii` guarantees it). */
export function redactPii(text: string, matches: readonly PiiMatch[], mode: RedactionMode): string {
  let out = '';
  let at = 0;
  for (const match of [...matches].sort((a, b) => a.start - b.start)) {
    out += text.slice(at, match.start) + replacement(match, mode);
    at = match.end;
  }
  return out + text.slice(at);
}
