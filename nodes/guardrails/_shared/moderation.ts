import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import type OpenAI from 'openai';
import type { NodeContext } from '@switchyard/sdk';
import { findKeywords } from './keywords.js';
import { MODERATION_EXAMPLES } from './moderation-examples.js';
import { canEmbedLocally, cosine, embedLocally, round2 } from './similarity.js';

/** The categories of OpenAI-compatible `/moderations` (omni-moderation). */
export const MODERATION_CATEGORIES = [
  'harassment', 'harassment/threatening', 'hate', 'hate/threatening', 'illicit', 'illicit/violent', 'self-harm', 'self-harm/intent',
  'self-harm/instructions', 'sexual', 'sexual/minors', 'violence', 'violence/graphic',
] as const;
export type ModerationCategory = (typeof MODERATION_CATEGORIES)[number];

export interface ModerationFinding {
  /** A provider category, or for the local heuristic `profanity`, `threat`, `self-harm` or `similar to <category> examples`. */
  rule: string;
  score: number;
  /** Few-shot findings: the similarity of the nearest toxic example. */
  similarity?: number;
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

/** How many of the nearest shipped examples vote. */
export const FEW_SHOT_NEIGHBOURS = 3;
/**
 * The nearest toxic example must be at least this similar for the vote to count: measured with the
 * local model, toxic messages sit 0.5–0.75 from their closest toxic example, angry but legitimate
 * complaints 0.25–0.45.
 */
export const FEW_SHOT_MIN_SIMILARITY = 0.45;

/**
 * The few-shot part of the local heuristic: the message is compared (local sentence model) with the
 * shipped toxic and benign examples; among the {@link FEW_SHOT_NEIGHBOURS} nearest, the
 * similarity-weighted share that is toxic is the score (0 when no toxic example is close enough).
 * Catches insults and threats worded without swear words; misses what is unlike every example.
 */
export async function moderateByExamples(ctx: Pick<NodeContext, 'knowledge'>, text: string): Promise<ModerationFinding[]> {
  const [message] = await embedLocally(ctx, [text]);
  const examples = await embedLocally(ctx, MODERATION_EXAMPLES.map((e) => e.text), true);
  const nearest = MODERATION_EXAMPLES.map((example, i) => ({ example, similarity: Math.max(0, cosine(message!, examples[i]!)) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, FEW_SHOT_NEIGHBOURS);
  const toxic = nearest.filter((n) => n.example.label !== 'benign');
  if (toxic.length === 0 || toxic[0]!.similarity < FEW_SHOT_MIN_SIMILARITY) return [];
  const total = nearest.reduce((sum, n) => sum + n.similarity, 0) || 1;
  const score = round2(toxic.reduce((sum, n) => sum + n.similarity, 0) / total);
  return [{ rule: `similar to ${toxic[0]!.example.label} examples`, score, similarity: round2(toxic[0]!.similarity) }];
}

/**
 * The whole local heuristic: the word lists, plus the few-shot examples when `fewShot` and the local
 * model is available here. Says which parts ran.
 */
export async function moderateHeuristically(ctx: Pick<NodeContext, 'knowledge'>, text: string, fewShot: boolean): Promise<{ findings: ModerationFinding[]; methods: string[] }> {
  const findings = moderateLocally(text);
  if (!fewShot || !canEmbedLocally(ctx)) return { findings, methods: ['word lists'] };
  return { findings: [...findings, ...(await moderateByExamples(ctx, text))], methods: ['word lists', 'few-shot examples'] };
}
