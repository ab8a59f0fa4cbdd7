import { normalizeText, originalSpan, type NormalizeOptions } from './normalize.js';

export interface KeywordOptions extends NormalizeOptions {
  /** Match whole words only (`class` does not match `classic`). Default: true. */
  wholeWord?: boolean;
}

export interface KeywordMatch {
  /** The list entry that matched, as written in the list. */
  keyword: string;
  start: number;
  end: number;
}

const LETTER = /[\p{L}\p{N}]/u;

/**
 * Every occurrence of the listed words and phrases, compared after the same normalisation on both
 * sides; phrases match across any run of spaces. Positions are in the original text.
 */
export function findKeywords(text: string, keywords: readonly string[], options: KeywordOptions = {}): KeywordMatch[] {
  const wholeWord = options.wholeWord ?? true;
  const haystack = normalizeText(text, options);
  const matches: KeywordMatch[] = [];
  for (const keyword of keywords) {
    const needle = normalizeText(keyword, { ...options, lookalikes: false }).text.trim().replace(/\s+/g, ' ');
    if (needle === '') continue;
    for (let at = haystack.text.indexOf(needle); at >= 0; at = haystack.text.indexOf(needle, at + 1)) {
      const end = at + needle.length;
      if (wholeWord && (LETTER.test(haystack.text[at - 1] ?? '') || LETTER.test(haystack.text[end] ?? ''))) continue;
      matches.push({ keyword, ...originalSpan(haystack, at, end, text.length) });
    }
  }
  return matches.sort((a, b) => a.start - b.start);
}
