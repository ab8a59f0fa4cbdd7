import { createHash } from 'node:crypto';
import { isJsonObject, type Json, type NodeContext } from '@switchyard/sdk';
import { attemptsJson, chatWithFallback, type Attempt, type ChainEntry, type ChatAnswer, type ChatRequest } from './chain.js';
import { stepUsage, usageJson, type StepUsage } from './usage.js';

/** One model call of a node: the answer, every attempt, the tokens and cost, and whether the cache answered. */
export interface ModelCall {
  answer: ChatAnswer;
  attempts: Attempt[];
  usage: StepUsage;
  cached: boolean;
}

/**
 * The cache key: a hash of everything that shapes the answer — the messages and settings, and each
 * chain entry's endpoint (credential id or base URL) and model. Never the API key.
 */
function cacheKey(entries: readonly ChainEntry[], request: ChatRequest): string {
  const chain = entries.map((e) => [e.endpoint.credentialId ?? e.endpoint.baseUrl, e.model]);
  return createHash('sha256').update(JSON.stringify({ chain, request })).digest('base64url');
}

function answerJson(answer: ChatAnswer): Json {
  return {
    content: answer.content, finishReason: answer.finishReason, provider: answer.provider, model: answer.model,
    toolCalls: answer.toolCalls.map((c) => ({ id: c.id, name: c.name, arguments: c.arguments })),
    usage: { promptTokens: answer.usage.promptTokens, completionTokens: answer.usage.completionTokens, totalTokens: answer.usage.totalTokens },
    // Kept so a cached answer has the same confidence as the first one.
    ...(answer.logprobs ? { logprobs: answer.logprobs.map((t) => ({ token: t.token, logprob: t.logprob })) } : {}),
  };
}

function answerFromJson(value: Json | null): ChatAnswer | undefined {
  if (!isJsonObject(value) || !isJsonObject(value.usage) || !Array.isArray(value.toolCalls)) return undefined;
  const { content, finishReason, provider, model, usage } = value;
  const logprobs = Array.isArray(value.logprobs)
    ? value.logprobs.flatMap((t) => (isJsonObject(t) && typeof t.token === 'string' && typeof t.logprob === 'number' ? [{ token: t.token, logprob: t.logprob }] : []))
    : [];
  if ((content !== null && typeof content !== 'string') || typeof finishReason !== 'string' || typeof provider !== 'string' || typeof model !== 'string') return undefined;
  return {
    content, finishReason, provider, model,
    toolCalls: value.toolCalls.flatMap((c) => (isJsonObject(c) && typeof c.id === 'string' && typeof c.name === 'string' && typeof c.arguments === 'string' ? [{ id: c.id, name: c.name, arguments: c.arguments }] : [])),
    usage: { promptTokens: Number(usage.promptTokens) || 0, completionTokens: Number(usage.completionTokens) || 0, totalTokens: Number(usage.totalTokens) || 0 },
    ...(logprobs.length > 0 ? { logprobs } : {}),
  };
}

/** Options of {@link askModel}. */
export interface AskOptions {
  /** Reuse an identical request's answer for this long (needs `ctx.ai`). Default: 0 (no cache). */
  cacheTtlMs?: number;
}

/**
 * Asks the chain (or the cache), and prices the tokens with the workspace's table (`ctx.ai`;
 * without it, tokens only). A cache hit costs nothing and records no attempt.
 */
export async function askModel(ctx: Pick<NodeContext, 'http' | 'signal' | 'ai'>, entries: readonly ChainEntry[], request: ChatRequest, options: AskOptions = {}): Promise<ModelCall> {
  const ttl = options.cacheTtlMs ?? 0;
  const cache = ttl > 0 ? ctx.ai?.cache : undefined;
  const key = cache ? cacheKey(entries, request) : '';
  if (cache) {
    const hit = answerFromJson(await cache.get(key));
    if (hit) return { answer: hit, attempts: [], usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0 }, cached: true };
  }
  const { answer, attempts } = await chatWithFallback(entries, request, { http: ctx.http, signal: ctx.signal });
  const usage = stepUsage(attempts, (await ctx.ai?.prices()) ?? {});
  if (cache) await cache.put(key, answerJson(answer), ttl);
  return { answer, attempts, usage, cached: false };
}

/** Sums several calls of one step (a repair, a second pass) into what the step records. */
export function combineCalls(calls: readonly ModelCall[]): { attempts: Json; usage: Json; cached: boolean } {
  const attempts = calls.flatMap((c) => c.attempts);
  const usage = calls.reduce<StepUsage>((sum, c) => {
    const unpriced = [...new Set([...(sum.unpriced ?? []), ...(c.usage.unpriced ?? [])])];
    const tokens = {
      promptTokens: sum.promptTokens + c.usage.promptTokens,
      completionTokens: sum.completionTokens + c.usage.completionTokens,
      totalTokens: sum.totalTokens + c.usage.totalTokens,
    };
    return unpriced.length > 0 ? { ...tokens, unpriced } : { ...tokens, cost: Math.round(((sum.cost ?? 0) + (c.usage.cost ?? 0)) * 1e8) / 1e8 };
  }, { promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0 });
  return { attempts: attemptsJson(attempts), usage: usageJson(usage), cached: calls.every((c) => c.cached) };
}
