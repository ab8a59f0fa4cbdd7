/**
 * Text normalisation for keyword checks, keeping a map back to the original text so a finding can
 * say where it is. NFKC folds full-width and compatibility forms (`ｆｒｅｅ` → `free`); case is
 * folded; diacritics are dropped on request (`café` → `cafe`); look-alike mode also reads digits and
 * symbols used as letters (`fr33`, `$ale`), Cyrillic and Greek homoglyphs, and spaced-out words
 * (`f r e e`, `f.r.e.e`).
 */
export interface NormalizeOptions {
  /** Drop diacritics (é → e). Default: true. */
  stripDiacritics?: boolean;
  /** Read look-alike characters and spaced-out letters. Default: false. */
  lookalikes?: boolean;
}

export interface NormalizedText {
  text: string;
  /** `offsets[i]` is where the i-th normalised character came from in the original. */
  offsets: number[];
}

const LOOKALIKES: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '@': 'a', '$': 's', '!': 'i', '|': 'l', '€': 'e',
  // Cyrillic and Greek letters that look Latin.
  'а': 'a', 'в': 'b', 'е': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't', 'у': 'y', 'х': 'x', 'і': 'i', 'ј': 'j',
  'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x', 'ı': 'i',
};

const MARK = /\p{M}/u;
const LETTER = /[\p{L}\p{N}]/u;

export function normalizeText(input: string, options: NormalizeOptions = {}): NormalizedText {
  const stripDiacritics = options.stripDiacritics ?? true;
  const chars: string[] = [];
  const offsets: number[] = [];
  let index = 0;
  for (const original of input) {
    const code = original.charCodeAt(0);
    // ASCII needs no Unicode normalisation: the common case, and ten times cheaper.
    if (code < 128 && !(code === 32 || (code >= 9 && code <= 13))) {
      chars.push(code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : original);
      offsets.push(index);
      index += 1;
      continue;
    }
    // Each source character is normalised alone so every output character maps back to it.
    let folded = original.normalize('NFKC').toLowerCase();
    if (stripDiacritics) folded = [...folded.normalize('NFD')].filter((c) => !MARK.test(c)).join('');
    for (const c of folded) {
      // Runs of whitespace read as one space, so phrases match however they were spaced.
      if (/\s/.test(c)) {
        if (chars.at(-1) === ' ') continue;
        chars.push(' ');
        offsets.push(index);
        continue;
      }
      // One entry per UTF-16 unit, as the string's indexes count (an emoji is two).
      for (let unit = 0; unit < c.length; unit++) {
        chars.push(c[unit]!);
        offsets.push(index);
      }
    }
    index += original.length;
  }
  if (options.lookalikes) {
    readLookalikes(chars);
    collapseSpacedLetters(chars, offsets);
  }
  return { text: chars.join(''), offsets };
}

const ALPHA = /\p{L}/u;
const SYMBOL_FOR_LETTER = new Set(['!', '|']);

/**
 * Homoglyph letters always read as their Latin twin; a digit or symbol reads as a letter only inside
 * a word (`fr33`, `$cam`, `sh!t`), so numbers stay numbers and a closing `!` stays punctuation.
 */
function readLookalikes(chars: string[]): void {
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const twin = LOOKALIKES[c];
    if (twin === undefined) continue;
    if (ALPHA.test(c)) chars[i] = twin;
    else if (SYMBOL_FOR_LETTER.has(c)) { if (ALPHA.test(chars[i - 1] ?? '') && ALPHA.test(chars[i + 1] ?? '')) chars[i] = twin; }
    else if (ALPHA.test(chars[i - 1] ?? '') || ALPHA.test(chars[i + 1] ?? '')) chars[i] = twin;
  }
}

/** `f r e e` / `f.r.e.e` / `f-r-e-e` → `free`: single letters joined by one separator, three or more in a row. */
const SPACED = /(?:^|[^\p{L}\p{N}])[\p{L}\p{N}][ ._*-][\p{L}\p{N}][ ._*-][\p{L}\p{N}](?![\p{L}\p{N}])/u;

function collapseSpacedLetters(chars: string[], offsets: number[]): void {
  // One regex pass first: most messages have no spaced-out word, and the walk below is per character.
  if (!SPACED.test(chars.join(''))) return;
  const isSep = (c: string | undefined) => c === ' ' || c === '.' || c === '-' || c === '_' || c === '*';
  const single = (i: number) => LETTER.test(chars[i] ?? '') && !LETTER.test(chars[i - 1] ?? '') && !LETTER.test(chars[i + 1] ?? '');
  for (let i = 0; i < chars.length; i++) {
    if (!single(i) || !isSep(chars[i + 1]) || !single(i + 2) || !isSep(chars[i + 3]) || !single(i + 4)) continue;
    // Find the whole run first (removing separators as we go would make the letters neighbours).
    const separators: number[] = [];
    for (let j = i; single(j) && isSep(chars[j + 1]) && single(j + 2); j += 2) separators.push(j + 1);
    for (const at of separators.reverse()) {
      chars.splice(at, 1);
      offsets.splice(at, 1);
    }
  }
}

/** Where `[start, end)` of the normalised text lies in the original text. */
export function originalSpan(normalized: NormalizedText, start: number, end: number, originalLength: number): { start: number; end: number } {
  const from = normalized.offsets[start] ?? originalLength;
  const last = normalized.offsets[end - 1];
  // The end is just past the last source character (which may be a surrogate pair).
  const next = normalized.offsets.find((o, i) => i >= end && o > (last ?? -1));
  return { start: from, end: next ?? originalLength };
}
