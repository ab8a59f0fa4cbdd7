/**
 * Labelled examples kept with the code (issue 14): messages with the outcome each check must give.
 * Different sentences from the few-shot examples the heuristic ships (moderation-examples.ts).
 * Asserted by moderation/labelled.test.ts and triage/labelled.test.ts.
 */

export interface ModerationCase {
  text: string;
  /** The local heuristic (word lists + few-shot examples with the local model). */
  heuristic: 'pass' | 'fail';
  /** Through a provider's /moderations: the fake flags kill / hate / idiot as harassment 0.93. */
  provider: 'pass' | 'fail';
}

export const MODERATION_CASES: readonly ModerationCase[] = [
  { text: 'Thanks, the parcel arrived on time!', heuristic: 'pass', provider: 'pass' },
  { text: 'I am really angry that my parcel is late again', heuristic: 'pass', provider: 'pass' },
  { text: 'Your delivery driver was rude to me', heuristic: 'pass', provider: 'pass' },
  { text: 'This is terrible, I want my money back', heuristic: 'pass', provider: 'pass' },
  { text: 'Great bread, will come again', heuristic: 'pass', provider: 'pass' },
  { text: 'I hate waiting in the queue', heuristic: 'pass', provider: 'fail' },
  { text: 'this is sh1t service', heuristic: 'fail', provider: 'pass' },
  { text: 'You are a pathetic loser and everyone hates you', heuristic: 'fail', provider: 'pass' },
  { text: 'Nobody should have to deal with a clown like you', heuristic: 'fail', provider: 'pass' },
  { text: 'Hope your family suffers', heuristic: 'fail', provider: 'pass' },
  { text: 'I will k1ll you', heuristic: 'fail', provider: 'pass' },
  { text: 'I will kill you', heuristic: 'fail', provider: 'fail' },
  { text: 'you idiot', heuristic: 'fail', provider: 'fail' },
];

export interface TriageCase {
  text: string;
  /** The drafted answer's token probability the fake model gives (each token), when the flow drafts one. */
  draftTokenProbability?: number;
  expected: 'respond' | 'ignore' | 'escalate';
}

/** Triage with the seed's defaults, after the moderation heuristic and an AI Chat draft. */
export const TRIAGE_CASES: readonly TriageCase[] = [
  { text: 'What time do you open tomorrow?', draftTokenProbability: 0.95, expected: 'respond' },
  { text: 'Do you have rye bread today?', draftTokenProbability: 0.5, expected: 'escalate' },
  { text: 'I need to talk to a human please', draftTokenProbability: 0.99, expected: 'escalate' },
  { text: 'This is URGENT, my order is wrong', draftTokenProbability: 0.99, expected: 'escalate' },
  { text: 'I want a refund for the burnt cake', draftTokenProbability: 0.99, expected: 'escalate' },
  { text: 'You are a pathetic loser and everyone hates you', draftTokenProbability: 0.99, expected: 'ignore' },
  { text: 'this is sh1t service', draftTokenProbability: 0.99, expected: 'ignore' },
  { text: 'Thanks, the croissants were lovely', draftTokenProbability: 0.9, expected: 'respond' },
];
