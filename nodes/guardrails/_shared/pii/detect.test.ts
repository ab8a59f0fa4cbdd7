import { describe, expect, it } from 'vitest';
import { PII_CORPUS } from './corpus.js';
import { detectPii, PII_SCAN_LIMIT, PII_TYPES, type PiiType } from './detect.js';
import { redactPii } from './redact.js';
import { aadhaarValid, ibanValid, luhnValid, ssnValid, verhoeffValid } from './validators.js';

describe('PII detection', () => {
  it('finds every labelled item of the corpus and none of its look-alikes, per entity type', () => {
    const stats = Object.fromEntries(PII_TYPES.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<PiiType, { tp: number; fp: number; fn: number }>;
    const misses: string[] = [];
    for (const { text, expected } of PII_CORPUS) {
      const found = detectPii(text).map((m) => `${m.type}:${m.text}`);
      const wanted = expected.map((e) => `${e.type}:${e.text}`);
      for (const f of found) {
        const type = f.slice(0, f.indexOf(':')) as PiiType;
        if (wanted.includes(f)) stats[type].tp++;
        else { stats[type].fp++; misses.push(`false positive ${f} in "${text}"`); }
      }
      for (const w of wanted) if (!found.includes(w)) { stats[w.slice(0, w.indexOf(':')) as PiiType].fn++; misses.push(`missed ${w} in "${text}"`); }
    }
    const table = Object.entries(stats).map(([type, s]) => {
      const precision = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
      const recall = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
      return `${type.padEnd(8)} precision ${precision.toFixed(2)} recall ${recall.toFixed(2)} (${s.tp} found, ${s.fp} false, ${s.fn} missed)`;
    });
    console.log(`PII corpus, ${PII_CORPUS.length} texts:\n${table.join('\n')}`);
    expect(misses).toEqual([]);
  });

  it('holds the check-digit rules against known values', () => {
    expect(luhnValid('79927398713')).toBe(true); // the textbook Luhn example
    expect(luhnValid('79927398710')).toBe(false);
    expect(verhoeffValid('2363')).toBe(true); // Verhoeff's own example: 236 → check digit 3
    expect(verhoeffValid('2364')).toBe(false);
    expect(aadhaarValid('123456789012')).toBe(false); // starts with 1: never issued
    expect(ibanValid('GB82 WEST 1234 5698 7654 32')).toBe(true); // the ISO 13616 example
    expect(ibanValid('GB82 WEST 1234 5698 7654 33')).toBe(false);
    expect(ssnValid('123456789')).toBe(true);
    expect(['000123456', '666123456', '900123456', '123006789', '123450000'].map(ssnValid)).toEqual([false, false, false, false, false]);
  });

  it('looks only for the types asked for, and reads national phone formats only for the countries given', () => {
    const text = 'mail a@b.io or call 98765 43210';
    expect(detectPii(text, { types: ['email'] }).map((m) => m.type)).toEqual(['email']);
    expect(detectPii(text, { types: ['phone'], countries: ['US'] })).toEqual([]);
    expect(detectPii(text, { types: ['phone'], countries: ['IN'] })).toMatchObject([{ type: 'phone', text: '98765 43210', start: 20, end: 31 }]);
  });

  it('redacts by masking, by type or by hash, leaving the rest of the text as it was', () => {
    const text = 'card 4111 1111 1111 1111, mail priya@example.com, ok';
    const matches = detectPii(text);
    expect(redactPii(text, matches, 'mask')).toBe('card **** **** **** 1111, mail p****@example.com, ok');
    expect(redactPii(text, matches, 'type')).toBe('card [CARD], mail [EMAIL], ok');
    const hashed = redactPii(text, matches, 'hash');
    expect(hashed).toMatch(/^card \[CARD:[0-9a-f]{10}\], mail \[EMAIL:[0-9a-f]{10}\], ok$/);
    // The same value hashes the same, so repeated mentions can be told apart from others.
    expect(redactPii('a@b.io a@b.io c@d.io', detectPii('a@b.io a@b.io c@d.io'), 'hash').split(' ').map((p) => p.slice(7))).toEqual(expect.arrayContaining([expect.any(String)]));
  });

  it('scans a long text only up to its limit', () => {
    const text = `${'x '.repeat(PII_SCAN_LIMIT / 2)}a@b.io`;
    expect(detectPii(text)).toEqual([]);
    expect(detectPii(`a@b.io ${text}`)).toHaveLength(1);
  });
});
