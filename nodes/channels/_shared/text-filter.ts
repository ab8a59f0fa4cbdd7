import { z } from 'zod';
import { ui } from '@switchyard/sdk';
import { compileRegex } from '../../core/_shared/conditions.js';

/** How a channel trigger filters on the message text. */
export const textFilterField = ui(z.enum(['any', 'contains', 'equals', 'startsWith', 'regex']).default('any'), {
  title: 'Text filter',
  description: 'Start only on messages whose text matches (keywords ignore case)',
  expression: false,
  enumLabels: { any: 'Any text (no filter)', contains: 'Contains the keyword', equals: 'Is exactly the keyword', startsWith: 'Starts with the keyword', regex: 'Matches the regular expression' },
});

/** The keyword or regular expression of {@link textFilterField}. */
export const textPatternField = ui(z.string().max(500).optional(), {
  title: 'Keyword or pattern',
  description: 'For a regular expression, /pattern/flags or a plain pattern, e.g. /^(hi|hello)\\b/i',
  placeholder: 'order',
  expression: false,
});

/** "Pause when a human takes over" (the inbox's handoff), on by default. */
export const pauseOnHandoffField = ui(z.boolean().default(true), {
  title: 'Pause when a human takes over',
  description: 'Skip contacts a person has taken over in the Conversations inbox',
});

export type TextFilter = z.infer<typeof textFilterField>;

/** Only this much of a message is matched: a regex runs in the web process, on every delivery. */
const MATCHED_CHARS = 4096;

/**
 * Why a pattern could take exponential time (a quantified group that itself holds a quantifier,
 * `(a+)+`, or a backreference), or undefined. Trigger filters run in the web process on every
 * inbound message, so such patterns are refused when the flow is saved rather than left to stall
 * the gateway on a crafted message.
 */
export function unsafeRegexReason(source: string): string | undefined {
  const groups: boolean[] = [];
  let quantifiedInside = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      if (/[1-9k]/.test(source[i + 1] ?? '')) return 'backreferences are not allowed in a trigger filter';
      i++;
      continue;
    }
    if (char === '[') {
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      continue;
    }
    if (char === '(') {
      groups.push(quantifiedInside);
      quantifiedInside = false;
      continue;
    }
    const repeats = char === '*' || char === '+' || (char === '{' && /^\{\d*,/.test(source.slice(i)));
    if (char === ')') {
      const inner: boolean = quantifiedInside;
      quantifiedInside = (groups.pop() ?? false) || inner;
      const next = source[i + 1];
      if (inner && (next === '*' || next === '+' || (next === '{' && /^\{\d*,/.test(source.slice(i + 1))))) {
        return 'a repeated group that itself repeats (like (a+)+) can take exponential time';
      }
      continue;
    }
    if (repeats) quantifiedInside = true;
  }
  return undefined;
}

/** Adds issues for a filter that needs a pattern and has none, or a regex that does not compile or is unsafe. */
export function checkTextFilter(value: { textFilter: TextFilter; pattern?: string }, ctx: z.RefinementCtx): void {
  if (value.textFilter === 'any') return;
  if (value.pattern === undefined || value.pattern === '') {
    ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'enter the keyword or pattern to filter on' });
    return;
  }
  if (value.textFilter !== 'regex') return;
  const problem = patternProblem(value.pattern);
  if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
}

/** Why `pattern` (plain, or `/pattern/flags`) cannot be a trigger's text filter, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    compileRegex(pattern);
  } catch (error) {
    return (error as Error).message;
  }
  return unsafeRegexReason(pattern);
}

const compiled = new Map<string, RegExp>();

/** Whether `text` passes the filter; a message with no text passes only "any". */
export function textMatches(text: string | undefined, filter: TextFilter, pattern: string | undefined): boolean {
  if (filter === 'any') return true;
  if (text === undefined || pattern === undefined || pattern === '') return false;
  const subject = text.length > MATCHED_CHARS ? text.slice(0, MATCHED_CHARS) : text;
  if (filter === 'regex') {
    let regex = compiled.get(pattern);
    if (!regex) {
      if (unsafeRegexReason(pattern)) return false;
      try {
        regex = compileRegex(pattern);
      } catch {
        return false;
      }
      if (compiled.size > 1000) compiled.clear();
      compiled.set(pattern, regex);
    }
    regex.lastIndex = 0;
    return regex.test(subject);
  }
  const haystack = subject.trim().toLocaleLowerCase();
  const needle = pattern.trim().toLocaleLowerCase();
  if (filter === 'equals') return haystack === needle;
  if (filter === 'startsWith') return haystack.startsWith(needle);
  return haystack.includes(needle);
}
