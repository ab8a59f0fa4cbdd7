import { z } from 'zod';
import { isJsonObject, ui, type Json, type NodeContext } from '@switchyard/sdk';
import { askModel, type AskOptions, type ModelCall } from './ask.js';
import { ChainRefusedError, type Attempt, type ChainEntry, type ChatRequest, type TokenLogprob } from './chain.js';
import { askStructured, outputSchema, type OutputSchema, type StructuredMode } from './structured.js';

/**
 * Confidence of an AI node's answer, 0–1 (decision 040). A heuristic, not a calibrated probability:
 * log-probabilities say how sure the model was of the words it chose, and a self-assessment is the
 * model's own guess; neither says the answer is true. Good for routing (answer, or ask a person),
 * not as a measured error rate.
 */
export type ConfidenceSource = 'logprobs' | 'self-assessed' | 'retrieval';

export interface Confidence {
  value: number;
  source: ConfidenceSource;
}

/** How AI Chat and Answer from knowledge get a confidence. */
export const CONFIDENCE_METHODS = ['auto', 'self-assessed', 'off'] as const;
export type ConfidenceMethod = (typeof CONFIDENCE_METHODS)[number];

/** Default: 'auto'. */
export const confidenceMethodField = ui(z.enum(CONFIDENCE_METHODS).default('auto'), {
  title: 'Confidence', group: 'Confidence', expression: false,
  description: 'A 0–1 heuristic (not a calibrated probability) on the output as confidence, e.g. for Triage. Auto: from the provider\'s token log-probabilities, or, where it gives none, the model rates its answer in a second short call',
  enumLabels: {
    auto: 'Token log-probabilities, else the model\'s own rating',
    'self-assessed': 'The model\'s own rating, in the same call ({ answer, confidence })',
    off: 'No confidence',
  },
});

const round = (value: number) => Math.round(Math.min(1, Math.max(0, value)) * 10_000) / 10_000;

/** The geometric mean of the tokens' probabilities (exp of the mean log-probability); undefined without tokens. */
export function meanTokenProbability(tokens: readonly TokenLogprob[] | undefined): number | undefined {
  if (!tokens?.length) return undefined;
  return round(Math.exp(tokens.reduce((sum, t) => sum + t.logprob, 0) / tokens.length));
}

/** The joint probability of the tokens overlapping characters [start, end) of the joined token text. */
export function spanProbability(tokens: readonly TokenLogprob[], start: number, end: number): number | undefined {
  let offset = 0;
  let sum = 0;
  let covered = false;
  for (const t of tokens) {
    const next = offset + t.token.length;
    if (next > start && offset < end) {
      sum += t.logprob;
      covered = true;
    }
    offset = next;
  }
  return covered ? round(Math.exp(sum)) : undefined;
}

/**
 * The probability the model gave the tokens of `"key": "value"`'s value in a JSON answer (for
 * Classify, the chosen label: mostly the first token of the label, where the choice is made).
 * Undefined when the tokens do not spell such a value.
 */
export function jsonValueProbability(tokens: readonly TokenLogprob[] | undefined, key: string, value: string): number | undefined {
  if (!tokens?.length) return undefined;
  const text = tokens.map((t) => t.token).join('');
  const escaped = (s: string) => JSON.stringify(s).slice(1, -1).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`"${escaped(key)}"\\s*:\\s*"(${escaped(value)})"`).exec(text);
  if (!m) return undefined;
  const start = m.index + m[0].length - m[1]!.length - 1;
  return spanProbability(tokens, start, start + m[1]!.length);
}

/** A number the model gave as its confidence, kept inside 0–1. */
export function statedConfidence(value: Json | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? round(value) : 0;
}

const CONFIDENCE_PROPERTY = { type: 'number', minimum: 0, maximum: 1 };

/**
 * Asks with `logprobs: true` when `want`; a provider that refuses the parameter (a 400 naming it, as
 * some do) is asked again without it, the refused attempt kept on the first call's record.
 */
export async function withLogprobs<T extends { calls: ModelCall[] }>(want: boolean, ask: (logprobs: boolean) => Promise<T>): Promise<T> {
  if (!want) return ask(false);
  try {
    return await ask(true);
  } catch (error) {
    if (!(error instanceof ChainRefusedError) || !/logprob/i.test(error.message)) throw error;
    const refused: Attempt[] = error.attempts;
    const result = await ask(false);
    const [first, ...rest] = result.calls;
    return first ? { ...result, calls: [{ ...first, attempts: [...refused, ...first.attempts] }, ...rest] } : result;
  }
}

/**
 * The model rates an answer it gave, in structured output `{ confidence, reason }`: the fallback when
 * the provider returned no log-probabilities. The rating call is recorded like any other.
 */
export async function rateAnswer(
  ctx: Pick<NodeContext, 'http' | 'signal' | 'ai'>, entries: readonly ChainEntry[], request: ChatRequest, answer: string, mode: StructuredMode, options: AskOptions = {},
): Promise<{ confidence: number; calls: ModelCall[] }> {
  const schema = { type: 'object', properties: { confidence: CONFIDENCE_PROPERTY, reason: { type: 'string' } }, required: ['confidence'] };
  const rated = await askStructured(ctx, entries, {
    ...request, logprobs: false, temperature: 0,
    messages: [
      ...request.messages,
      { role: 'assistant', content: answer },
      { role: 'user', content: 'How likely is your answer above to be correct, complete and supported by what you were given? Do not answer again: give "confidence" from 0 (surely wrong) to 1 (certainly right) and a one-sentence "reason".' },
    ],
  }, outputSchema(schema, 'the confidence schema'), mode, options);
  return { confidence: statedConfidence(isJsonObject(rated.value) ? rated.value.confidence : undefined), calls: rated.calls };
}

/** What {@link askWithConfidence} answers. */
export interface ConfidentAnswer {
  calls: ModelCall[];
  /** The text answer, or the JSON answer as text. */
  text: string | null;
  /** The checked JSON value when an output schema was given. */
  value?: Json;
  repaired: boolean;
  confidence?: Confidence;
}

/**
 * One answer (text, or JSON checked against `output`) with its confidence by `method`:
 * - `auto`: `logprobs: true`; the geometric mean of the answer tokens' probabilities, or, when the
 *   provider returned none, {@link rateAnswer};
 * - `self-assessed`: the answer is asked as `{ answer, confidence }` in structured output (one call);
 * - `off`: no confidence.
 */
export async function askWithConfidence(
  ctx: Pick<NodeContext, 'http' | 'signal' | 'ai'>, entries: readonly ChainEntry[], request: ChatRequest,
  settings: { method: ConfidenceMethod; structuredMode: StructuredMode; output?: OutputSchema; cacheTtlMs: number },
): Promise<ConfidentAnswer> {
  const options = { cacheTtlMs: settings.cacheTtlMs };
  const { output } = settings;
  if (settings.method === 'self-assessed') {
    const schema = { type: 'object', properties: { answer: output?.schema ?? { type: 'string' }, confidence: CONFIDENCE_PROPERTY }, required: ['answer', 'confidence'] };
    const messages: ChatRequest['messages'] = [...request.messages, { role: 'system', content: 'Put your answer in "answer", and in "confidence" how likely it is to be correct, from 0 (surely wrong) to 1 (certainly right).' }];
    const wrapped = await askStructured(ctx, entries, { ...request, messages }, outputSchema(schema, output ? '"JSON Schema"' : 'the answer schema'), settings.structuredMode, options);
    const value = isJsonObject(wrapped.value) ? wrapped.value : {};
    const answer = value.answer ?? null;
    return {
      calls: wrapped.calls, repaired: wrapped.repaired,
      text: typeof answer === 'string' && !output ? answer : JSON.stringify(answer),
      ...(output ? { value: answer } : {}),
      confidence: { value: statedConfidence(value.confidence), source: 'self-assessed' },
    };
  }
  const answered = await withLogprobs(settings.method === 'auto', async (logprobs): Promise<ConfidentAnswer> => {
    const asked = { ...request, ...(logprobs ? { logprobs } : {}) };
    if (output) {
      const structured = await askStructured(ctx, entries, asked, output, settings.structuredMode, options);
      return { calls: structured.calls, text: structured.raw, value: structured.value, repaired: structured.repaired };
    }
    const call = await askModel(ctx, entries, asked, options);
    return { calls: [call], text: call.answer.content, repaired: false };
  });
  if (settings.method === 'off' || answered.text === null) return answered;
  const fromLogprobs = meanTokenProbability(answered.calls.at(-1)?.answer.logprobs);
  if (fromLogprobs !== undefined) return { ...answered, confidence: { value: fromLogprobs, source: 'logprobs' } };
  const rating = await rateAnswer(ctx, entries, request, answered.text, settings.structuredMode, options);
  return { ...answered, calls: [...answered.calls, ...rating.calls], confidence: { value: rating.confidence, source: 'self-assessed' } };
}

/** The output fields every AI node with a confidence adds: `confidence` and `confidenceSource`. */
export function confidenceJson(confidence: Confidence | undefined): { confidence?: number; confidenceSource?: ConfidenceSource } {
  return confidence ? { confidence: confidence.value, confidenceSource: confidence.source } : {};
}
