import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import type OpenAI from 'openai';
import { findKeywords } from './keywords.js';

/** The categories of OpenAI-compatible `/moderations` (omni-moderation). */
export const MODERATION_CATEGORIES = [
  'harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'illicit', 'illicit/violent', 'self-harm', 'self-harm/intent',
  'self-harm/instructions', 'sexual', 'sexual/minors', 'violence', 'violence/graphic',
] as const;
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];

export interface ModerationFinding {
  /** A provider category, or for the local heuristic `profanity`, `threat` or `self-harm`. */
  rule: string;
  score: number;
  start?: number;
  end?: number;
}

/** A provider's verdict: every category whose score reaches its threshold. */
export async function moderateWithProvider(
  client: OpenAI, model: string, text: string, threshold: number, overrides: ReadonlyMap<string, number>, signal: AbortSignal,
): Promise<ModerationFinding[]> {
  const answer = await client.moderations.create({ model, input: text }, { signal });
  const scores = (answer.results[0]?.category_scores ?? {}) as unknown as Record<string, number | undefined>;
  return Object.entries(scores)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && entry[1] >= (overrides.get(entry[0]) ?? threshold))
    .map(([rule, score]) => ({ rule, score }))
    .sort((a, b) => b.score - a.score);
}

let profanity: RegExpMatcher | undefined;

// Phrases the profanity list does not cover. Look-alike spellings are read (k1ll y0u).
const THREATS = ['kill you', 'i will hurt you', 'i will find you', 'you will regret', 'burn your', 'bomb the', 'shoot you', 'watch your back'];
const SELF_HARM = ['kill myself', 'end my life', 'want to die', 'suicide', 'hurt myself', 'no reason to live'];

/**
 * The local heuristic, used when the node has no provider: profanity from the maintained
 * `obscenity` list (with its look-alike transformers) and short threat and self-harm phrase lists.
 * It catches explicit wording only; insults without swear words and coded language pass. The
 * editor labels it as a heuristic.
 */
export function moderateLocally(text: string): ModerationFinding[] {
  profanity ??= new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
  const findings: ModerationFinding[] = [];
  // The list holds several patterns per word, so one word can match twice: one finding per span.
  for (const m of profanity.getAllMatches(text, true)) {
    if (!findings.some((f) => f.start === m.startIndex)) findings.push({ rule: 'profanity', score: 0.9, start: m.startIndex, end: m.endIndex + 1 });
  }
  for (const [rule, list] of [['threat', THREATS], ['self-harm', SELF_HARM]] as const) {
    for (const m of findKeywords(text, list, { lookalikes: true })) findings.push({ rule, score: 0.85, start: m.start, end: m.end });
  }
  return findings;
}
