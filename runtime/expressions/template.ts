/**
 * `{{ … }}` templates in string props. The text between `{{` and its closing `}}` is one JavaScript
 * expression; the closing `}}` is found outside string literals and nested braces, so
 * `{{ {a: {b: 1}} }}` and `{{ $json["}}"] }}` work. A `{{` that is never closed is literal text.
 */

export type TemplatePart =
  | { kind: 'text'; text: string }
  /** `source` is the expression with surrounding whitespace trimmed. */
  | { kind: 'expression'; source: string };

/** Parsed templates kept, by text: the same props are resolved for every execution. */
const CACHE_LIMIT = 2000;
const cache = new Map<string, readonly TemplatePart[]>();

/** The parts of a template, literal text and expressions in order. Adjacent text is merged. */
export function parseTemplate(text: string): readonly TemplatePart[] {
  const hit = cache.get(text);
  if (hit) return hit;
  const parts = Object.freeze(parse(text));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, parts);
  return parts;
}

/** Whether the text holds at least one closed `{{ … }}`. */
export function hasExpression(text: string): boolean {
  if (!text.includes('{{')) return false;
  return parseTemplate(text).some((part) => part.kind === 'expression');
}

function parse(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  const pushText = (value: string) => {
    if (value === '') return;
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += value;
    else parts.push({ kind: 'text', text: value });
  };
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) break;
    const close = findClose(text, open + 2);
    if (close < 0) break;
    pushText(text.slice(at, open));
    parts.push({ kind: 'expression', source: text.slice(open + 2, close).trim() });
    at = close + 2;
  }
  pushText(text.slice(at));
  return parts;
}

/** Index of the `}}` closing an expression that starts at `from`, or -1. */
function findClose(text: string, from: number): number {
  // Braces opened inside the expression, and for template literals the depth at which each `${` began.
  let depth = 0;
  const templateDepths: number[] = [];
  let i = from;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      i = skipString(text, i, ch);
      continue;
    }
    if (ch === '`' || (ch === '}' && templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === depth)) {
      if (ch === '}') templateDepths.pop();
      // Inside a template literal: up to its end or the next `${`.
      i += 1;
      while (i < text.length && text[i] !== '`') {
        if (text[i] === '\\') i += 1;
        else if (text[i] === '$' && text[i + 1] === '{') {
          templateDepths.push(depth);
          i += 1;
          break;
        }
        i += 1;
      }
      i += 1;
      continue;
    }
    if (ch === '{') depth += 1;
    else if (ch === '}') {
      if (depth === 0 && text[i + 1] === '}') return i;
      if (depth > 0) depth -= 1;
    }
    i += 1;
  }
  return -1;
}

function skipString(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\') i += 1;
    i += 1;
  }
  return i + 1;
}
