/**
 * Colours and words of the decision log's outcomes. Each outcome keeps its colour on every day of
 * the chart and in the list; the word is always shown next to it (colour is never the only signal).
 */
const COLOURS: Record<string, string> = {
  pass: '#2b8a3e', respond: '#1c7ed6', approved: '#37b24d', edited: '#0c8599', replied: '#7048e8',
  fail: '#c92a2a', escalate: '#e8590c', ignore: '#868e96', rejected: '#a61e4d', timeout: '#b7791f',
};
const SPARE = ['#5c7cfa', '#f783ac', '#94d82d', '#ffa94d', '#20c997', '#845ef7'];

const WORDS: Record<string, string> = {
  pass: 'Passed', fail: 'Failed', respond: 'Answered', ignore: 'Ignored', escalate: 'Escalated',
  approved: 'Approved', edited: 'Edited and approved', rejected: 'Rejected', replied: 'Replied by a person', timeout: 'Timed out',
};

/** The outcome's colour; an outcome this page does not know gets a stable spare one. */
export function outcomeColour(outcome: string): string {
  if (Object.hasOwn(COLOURS, outcome)) return COLOURS[outcome]!;
  let hash = 0;
  for (const char of outcome) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return SPARE[hash % SPARE.length]!;
}

export function outcomeWord(outcome: string): string {
  return Object.hasOwn(WORDS, outcome) ? WORDS[outcome]! : outcome;
}

export const KIND_WORDS: Record<string, string> = { guardrail: 'Guardrail', triage: 'Triage', escalation: 'Escalation' };
