import { z } from 'zod';
import { ui, type InboundEvent } from '@switchyard/sdk';

/** The text a keyword or pattern is tested against is cut here, so a long message costs the gateway little. */
const MAX_TESTED_CHARS = 4096;

/**
 * A pattern whose quantified group itself holds a quantifier (`(a+)+`, `(\w*)*`, `(x{2,})+`) can take
 * exponential time on a non-matching text, and `matches` runs in the web process for every event:
 * such patterns are refused when the props are saved. (A heuristic: it does not catch every slow
 * pattern, and the tested text is capped as a second line of defence.)
 */
function nestedQuantifier(pattern: string): boolean {
  const stack: { quantified: boolean }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') { i++; continue; }
    if (c === '[') {
      // Skip a character class: quantifier characters inside it are literals.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') stack.push({ quantified: false });
    else if (c === ')') {
      const group = stack.pop();
      const next = pattern[i + 1];
      const repeated = next === '*' || next === '+' || (next === '{' && /^\{\d*,\d*\}/.test(pattern.slice(i + 1)));
      if (group?.quantified && repeated) return true;
      if (group?.quantified || repeated) { const outer = stack.at(-1); if (outer) outer.quantified = true; }
    } else if (c === '*' || c === '+' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)))) {
      const inner = stack.at(-1);
      if (inner) inner.quantified = true;
    }
  }
  return false;
}

/** Why `pattern` cannot be used as a text filter, or undefined when it can. */
export function patternProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `"${pattern}" is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
  }
  if (nestedQuantifier(pattern)) return `"${pattern}" repeats a group that itself repeats (like (a+)+), which can take forever on some texts; simplify it`;
  return undefined;
}

/**
 * The filter fields every channel trigger shares. Spread them into the trigger's props object and
 * pass the object through {@link refineTriggerFilter} so a bad pattern is a props error, not a crash.
 */
export function triggerFilterFields<const E extends readonly [string, ...string[]]>(
  eventTypes: E,
  labels: Record<E[number], string>,
  defaultEvents: E[number][],
) {
  return {
    /** Default: `defaultEvents` (messages; status updates never start a flow unless picked here). */
    events: ui(z.array(z.enum(eventTypes)).min(1, 'pick at least one event type').default(defaultEvents), {
      title: 'Events', description: 'Which events start the flow. Delivery statuses start it only when picked.', enumLabels: labels, expression: false,
    }),
    /** Default: every message type. */
    messageTypes: ui(z.array(z.string().trim().min(1)).default([]), {
      title: 'Message types', description: 'Only these message types (text, image, audio, …); empty: all', expression: false,
    }),
    /** Default: 'any'. */
    textFilter: ui(z.enum(['any', 'keyword', 'regex']).default('any'), {
      title: 'Text filter', description: 'Start only on messages whose text contains a keyword or matches a pattern', expression: false,
      enumLabels: { any: 'Any text', keyword: 'Contains a keyword (case-insensitive)', regex: 'Matches a regular expression' },
    }),
    /** The keyword or pattern for `textFilter`. Default: empty. */
    text: ui(z.string().default(''), { title: 'Keyword or pattern', description: 'The keyword, or a JavaScript regular expression (case-insensitive)', placeholder: 'order|track', expression: false }),
    /** Default: true. */
    pauseOnHandoff: ui(z.boolean().default(true), {
      title: 'Pause when a human takes over', description: 'Skip contacts a person has taken over in the Conversations inbox', expression: false,
    }),
  };
}

/** The props the shared filter reads. */
export interface TriggerFilter {
  events: readonly string[];
  messageTypes: readonly string[];
  textFilter: 'any' | 'keyword' | 'regex';
  text: string;
  pauseOnHandoff: boolean;
}

/**
 * The checks of the shared filter fields (a keyword or pattern is given when needed, and compiles):
 * `z.object({ ...triggerFilterFields(…), … }).superRefine(checkTriggerFilter)`.
 */
export function checkTriggerFilter(props: TriggerFilter, ctx: { addIssue(issue: { code: 'custom'; path: string[]; message: string }): void }): void {
  if (props.textFilter === 'any') return;
  if (props.text.trim() === '') {
    ctx.addIssue({ code: 'custom', path: ['text'], message: `enter the ${props.textFilter === 'regex' ? 'pattern' : 'keyword'} to filter on` });
  } else if (props.textFilter === 'regex') {
    const problem = patternProblem(props.text);
    if (problem) ctx.addIssue({ code: 'custom', path: ['text'], message: problem });
  }
}

/** Compiled patterns by source: `matches` runs for every event, a compile per event would be waste. */
const compiled = new Map<string, RegExp | null>();
function compile(pattern: string): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = patternProblem(pattern) ? null : new RegExp(pattern, 'iu');
    if (compiled.size > 1000) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

/**
 * Whether `event` passes the shared filter: its type is picked; for message-like events, its message
 * type is among the picked ones (when any) and its text matches the keyword or pattern.
 */
export function matchesTriggerFilter(event: InboundEvent, props: TriggerFilter): boolean {
  if (!props.events.includes(event.type)) return false;
  if (event.type === 'status') return true;
  const message = event.message;
  if (props.messageTypes.length > 0 && !props.messageTypes.includes(message?.messageType ?? 'unknown')) return false;
  if (props.textFilter === 'any') return true;
  const text = (message?.text ?? message?.choice?.title ?? '').slice(0, MAX_TESTED_CHARS);
  if (props.textFilter === 'keyword') return text.toLowerCase().includes(props.text.trim().toLowerCase());
  return compile(props.text)?.test(text) ?? false;
}
