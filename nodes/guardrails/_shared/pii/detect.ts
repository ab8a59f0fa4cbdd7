import { isIPv4, isIPv6 } from 'node:net';
import { findPhoneNumbersInText, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { aadhaarValid, cardBrand, digitsOf, entropyBits, ibanValid, ssnValid } from './validators.js';

/** The kinds of personal data and secrets the detector knows. */
export const PII_TYPES = ['email', 'phone', 'card', 'iban', 'aadhaar', 'pan', 'ssn', 'ip', 'secret'] as const;
export type PiiType = (typeof PII_TYPES)[number];

/** One finding: where it is in the text, what it is, and how sure the rule that found it is. */
export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
  text: string;
  /** 0–1: a check digit that holds scores 0.99; a format-only or entropy match scores less. */
  score: number;
  /** What made it this type, e.g. `visa (Luhn)`, `IN mobile`, `AWS access key`. */
  reason: string;
}

export interface PiiOptions {
  /** Which types to look for. Default: all of {@link PII_TYPES}. */
  types?: readonly PiiType[];
  /** Countries whose national phone formats are recognised (international `+…` numbers always are). Default: IN, US, GB, DE, FR. */
  countries?: readonly string[];
}

/** Texts are scanned up to here; the node flags longer ones as over the limit (see guardrails docs). */
export const PII_SCAN_LIMIT = 100_000;

type Detector = (text: string, options: Required<PiiOptions>) => PiiMatch[];

function found(type: PiiType, match: RegExpExecArray, score: number, reason: string, text = match[0], start = match.index): PiiMatch {
  return { type, start, end: start + text.length, text, score, reason };
}

function* matchesOf(pattern: RegExp, text: string): Generator<RegExpExecArray> {
  const regex = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  for (let m = regex.exec(text); m; m = regex.exec(text)) {
    yield m;
    if (m[0] === '') regex.lastIndex++;
  }
}

const EMAIL = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}\b/;
const EMAIL_LOCAL = /[A-Za-z0-9._%+-]/;
const EMAIL_DOMAIN = /[A-Za-z0-9.-]/;
// Where a phone number could be: a + or a digit, then 6–20 digits and separators, ending on a digit.
const PHONE_CANDIDATE = /(?:\+|\(|\b)\d[\d\s().-]{5,20}\d/;
// 12–19 digits, single spaces or dashes between them allowed; not glued to other digits or letters.
const CARD = /(?<![\dA-Za-z-])\d(?:[ -]?\d){11,18}(?![\dA-Za-z-])/;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{1,4}){2,8}\b/;
const AADHAAR = /(?<![\dA-Za-z-])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![\dA-Za-z-])/;
const PAN = /\b[A-Z]{3}[ABCFGHLJPT][A-Z]\d{4}[A-Z]\b/;
const SSN_SEPARATED = /(?<![\d-])\d{3}([- ])\d{2}\1\d{4}(?![\d-])/;
const SSN_BARE = /(?<!\d)\d{9}(?!\d)/;
const SSN_CONTEXT = /\b(ssn|social security)\b[^\n]{0,20}$/i;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/;
const IPV6 = /(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![0-9A-Fa-f:])/;

/** Secrets by the prefixes their issuers use: precise, so they score high. */
const SECRET_PREFIXES: { pattern: RegExp; reason: string }[] = [
  { pattern: /\bsk-(?:proj-|svcacct-|ant-)?[A-Za-z0-9_-]{20,}/, reason: 'OpenAI/Anthropic-style API key' },
  { pattern: /\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}/, reason: 'Stripe secret key' },
  { pattern: /\brzp_(?:live|test)_[A-Za-z0-9]{14,}/, reason: 'Razorpay key' },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/, reason: 'AWS access key id' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/, reason: 'GitHub token' },
  { pattern: /\bgithub_pat_[A-Za-z0-9_]{40,}/, reason: 'GitHub fine-grained token' },
  { pattern: /\bglpat-[A-Za-z0-9_-]{20,}/, reason: 'GitLab token' },
  { pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}/, reason: 'Slack token' },
  { pattern: /\bAIza[0-9A-Za-z_-]{35}\b/, reason: 'Google API key' },
  { pattern: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}/, reason: 'SendGrid key' },
  { pattern: /\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b/, reason: 'Telegram bot token' },
  { pattern: /-----BEGIN (?:RSA |EC |OPENSSH |)PRIVATE KEY-----/, reason: 'private key' },
];
// Long tokens with letters and digits mixed; scored by entropy so prose, hex hashes and UUIDs stay out.
const HIGH_ENTROPY = /(?<![A-Za-z0-9_+/=-])[A-Za-z0-9_+/=-]{32,}(?![A-Za-z0-9_+/=-])/;

const detectors: Record<PiiType, Detector> = {
  email: (text) => {
    // Grown outwards from each '@' (a pattern scanned from every position is quadratic on long words).
    const out: PiiMatch[] = [];
    for (let at = text.indexOf('@'); at >= 0; at = text.indexOf('@', at + 1)) {
      let start = at;
      while (start > 0 && start > at - 64 && EMAIL_LOCAL.test(text[start - 1]!)) start--;
      let end = at + 1;
      while (end < text.length && end < at + 256 && EMAIL_DOMAIN.test(text[end]!)) end++;
      const m = EMAIL.exec(text.slice(start, end));
      if (m && m.index === 0) out.push({ type: 'email', start, end: start + m[0].length, text: m[0], score: 0.99, reason: 'email address' });
    }
    return out;
  },
  phone: (text, { countries }) => {
    // libphonenumber reads only the short spans that could be numbers, once per country: on a whole
    // message it costs tens of milliseconds.
    const out: PiiMatch[] = [];
    for (const candidate of matchesOf(PHONE_CANDIDATE, text)) {
      const digits = digitsOf(candidate[0]);
      if (digits.length < 7 || digits.length > 15) continue;
      const span = text.slice(Math.max(0, candidate.index - 1), candidate.index + candidate[0].length + 1);
      const offset = Math.max(0, candidate.index - 1);
      const international = candidate[0].startsWith('+') || digits.startsWith('00');
      for (const country of international ? [undefined] : countries.filter((c) => nationalPrecheck(c, digits))) {
        // Most candidates are exactly one number: parsing it whole is about twice as fast as a search.
        const whole = parsePhoneNumberFromString(candidate[0], country ? { defaultCountry: country as CountryCode } : undefined);
        const hits = whole?.isValid()
          ? [{ startsAt: candidate.index - offset, endsAt: candidate.index - offset + candidate[0].length, number: whole }]
          : findPhoneNumbersInText(span, country ? { defaultCountry: country as CountryCode } : undefined);
        for (const hit of hits) {
          const start = offset + hit.startsAt;
          const end = offset + hit.endsAt;
          if (out.some((o) => start < o.end && o.start < end)) continue;
          const raw = text.slice(start, end);
          const international = /^\+|^00/.test(raw);
          if (!international && !plausibleNational(raw, country, text[start - 1], text[end])) continue;
          out.push({ type: 'phone', start, end, text: raw, score: international ? 0.97 : 0.9, reason: `${hit.number.country ?? country ?? 'international'} phone number` });
        }
      }
    }
    return out;
  },
  card: (text) => [...matchesOf(CARD, text)].flatMap((m) => {
    const brand = cardBrand(digitsOf(m[0]));
    return brand ? [found('card', m, 0.99, `${brand} card (Luhn)`)] : [];
  }),
  iban: (text) => [...matchesOf(IBAN, text)].flatMap((m) => {
    // The pattern may run into a following code-like word: drop trailing groups until the check holds.
    let candidate = m[0];
    while (candidate.length >= 15) {
      if (ibanValid(candidate)) return [found('iban', m, 0.99, 'IBAN (mod 97)', candidate)];
      const cut = candidate.lastIndexOf(' ');
      if (cut < 0) break;
      candidate = candidate.slice(0, cut);
    }
    return [];
  }),
  aadhaar: (text) => [...matchesOf(AADHAAR, text)].flatMap((m) => (aadhaarValid(digitsOf(m[0])) ? [found('aadhaar', m, 0.98, 'Aadhaar number (Verhoeff)')] : [])),
  pan: (text) => [...matchesOf(PAN, text)].map((m) => found('pan', m, 0.9, 'Indian PAN')),
  ssn: (text) => [
    ...[...matchesOf(SSN_SEPARATED, text)].flatMap((m) => (ssnValid(digitsOf(m[0])) ? [found('ssn', m, 0.85, 'US SSN')] : [])),
    // Nine bare digits are far more often an order or account number: only next to the words.
    ...[...matchesOf(SSN_BARE, text)].flatMap((m) => (ssnValid(m[0]) && SSN_CONTEXT.test(text.slice(Math.max(0, m.index - 30), m.index)) ? [found('ssn', m, 0.8, 'US SSN (named)')] : [])),
  ],
  ip: (text) => [
    ...[...matchesOf(IPV4, text)].flatMap((m) => (isIPv4(m[0]) ? [found('ip', m, 0.95, 'IPv4 address')] : [])),
    ...[...matchesOf(IPV6, text)].flatMap((m) => (isIPv6(m[0]) && (m[0].match(/:/g)?.length ?? 0) >= 2 && /[0-9A-Fa-f]{2}/.test(m[0]) ? [found('ip', m, 0.95, 'IPv6 address')] : [])),
  ],
  secret: (text) => [
    ...SECRET_PREFIXES.flatMap(({ pattern, reason }) => [...matchesOf(pattern, text)].map((m) => found('secret', m, 0.98, reason))),
    ...[...matchesOf(HIGH_ENTROPY, text)].flatMap((m) => {
      const token = m[0];
      const mixed = /[a-z]/.test(token) && /[A-Z]/.test(token) && /\d/.test(token);
      return mixed && entropyBits(token) >= 4.3 ? [found('secret', m, 0.7, 'high-entropy token')] : [];
    }),
  ],
};

/**
 * A number written without its country code is read against a guessed country, and almost any
 * digit run is *some* valid number somewhere; so it counts only when written as people write phone
 * numbers there: not glued to an id (`INV-2024-000123`), not in the SSN shape (3-2-4), with the
 * trunk 0 where the country dials one (GB, DE, FR, … and Indian landlines), a 6–9 first digit for
 * an Indian mobile, and ten digits with a 2–9 area code in the US.
 */
function plausibleNational(raw: string, country: string | undefined, before: string | undefined, after: string | undefined): boolean {
  if (country === undefined) return false;
  if ((before !== undefined && /[A-Za-z0-9_\-/#:]/.test(before)) || (after !== undefined && /[A-Za-z0-9_\-/:]/.test(after))) return false;
  if (/^\d{4}-\d{2}-\d{2}/.test(raw)) return false;
  if (/^\d{3}([- ])\d{2}\1\d{4}$/.test(raw)) return false;
  const digits = digitsOf(raw);
  if (country === 'US') return /^1?[2-9]\d{2}[2-9]\d{6}$/.test(digits) && /[-(). ]/.test(raw);
  if (country === 'IN') return /^[6-9]\d{9}$/.test(digits) || /^0\d{9,10}$/.test(digits);
  return digits.startsWith('0');
}

/** The cheap part of {@link plausibleNational}, on a candidate's digits, so libphonenumber runs only where it can pass. */
function nationalPrecheck(country: string, digits: string): boolean {
  if (country === 'US') return /^1?[2-9]\d{9}$/.test(digits);
  if (country === 'IN') return /^[6-9]\d{9}$/.test(digits) || digits.startsWith('0');
  return digits.startsWith('0');
}

/** When two findings overlap, the more specific rule wins (a card is not also a phone number). */
const PRIORITY: Record<PiiType, number> = { secret: 9, card: 8, iban: 7, aadhaar: 6, pan: 5, ssn: 4, email: 3, ip: 2, phone: 1 };

/** Finds personal data and secrets in `text`: validated matches only, non-overlapping, in text order. */
export function detectPii(text: string, options: PiiOptions = {}): PiiMatch[] {
  const resolved: Required<PiiOptions> = { types: options.types ?? PII_TYPES, countries: options.countries ?? ['IN', 'US', 'GB', 'DE', 'FR'] };
  const scanned = text.length > PII_SCAN_LIMIT ? text.slice(0, PII_SCAN_LIMIT) : text;
  const all = resolved.types.flatMap((type) => detectors[type](scanned, resolved));
  all.sort((a, b) => PRIORITY[b.type] - PRIORITY[a.type] || (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const kept: PiiMatch[] = [];
  for (const match of all) if (!kept.some((k) => match.start < k.end && k.start < match.end)) kept.push(match);
  return kept.sort((a, b) => a.start - b.start);
}
