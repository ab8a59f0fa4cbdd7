import { NonRetryableError, type NodeContext } from '@switchyard/sdk';

/**
 * Sentence similarity with the local embedder (`ctx.knowledge.embedLocally`: the Universal Sentence
 * Encoder in the knowledge bases' model process, no key, no second copy of the model). The fixed
 * texts a check compares with — topic descriptions, the shipped moderation examples — are embedded
 * once per process and kept; the checked message is embedded every time and never kept.
 */

/** Fixed texts kept per process; a flow with thousands of topics only costs re-embedding. */
const CACHE_LIMIT = 4_000;
const cache = new Map<string, Float32Array>();

function unit(vector: readonly number[]): Float32Array {
  const out = Float32Array.from(vector);
  let sum = 0;
  for (const x of out) sum += x * x;
  const norm = Math.sqrt(sum) || 1;
  for (let i = 0; i < out.length; i++) out[i]! /= norm;
  return out;
}

/** True when this context can embed locally. */
export function canEmbedLocally(ctx: Pick<NodeContext, 'knowledge'>): boolean {
  return typeof ctx.knowledge?.embedLocally === 'function';
}

/**
 * Unit vectors of `texts`, in order. `fixed` texts are cached (never pass a message as fixed).
 * @throws NonRetryableError when the runtime offers no local model.
 */
export async function embedLocally(ctx: Pick<NodeContext, 'knowledge'>, texts: readonly string[], fixed = false): Promise<Float32Array[]> {
  const embed = ctx.knowledge?.embedLocally;
  if (!embed) throw new NonRetryableError('the local embedding model is not available here: choose an AI provider for this check', { code: 'no_local_embedder' });
  const missing = fixed ? [...new Set(texts.filter((t) => !cache.has(t)))] : [...texts];
  const vectors = missing.length > 0 ? (await embed.call(ctx.knowledge, missing)).map(unit) : [];
  if (!fixed) return vectors;
  const fresh = new Map(missing.map((text, i) => [text, vectors[i]!] as const));
  for (const [text, vector] of fresh) {
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(text, vector);
  }
  return texts.map((t) => fresh.get(t) ?? cache.get(t)!);
}

/** Cosine similarity of two unit vectors. */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

/** Two decimals: similarities are reported, not computed on. */
export const round2 = (x: number) => Math.round(x * 100) / 100;
