import type { Json, ModelPrice } from '@switchyard/sdk';
import type { Attempt, TokenUsage } from './chain.js';

export type { ModelPrice };

/** What a step records about its use of models: summed over its attempts, cost only when every model has a price. */
export interface StepUsage extends TokenUsage {
  /** USD; absent when a model that used tokens has no price. */
  cost?: number;
  /** Models without a price that used tokens. */
  unpriced?: string[];
}

export function addTokens(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens, totalTokens: a.totalTokens + b.totalTokens };
}

export const NO_TOKENS: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };

/** The cost of `tokens` on `model`, or undefined when the table has no price for it. */
export function costOf(model: string, tokens: TokenUsage, prices: Readonly<Record<string, ModelPrice>>): number | undefined {
  const price = Object.hasOwn(prices, model) ? prices[model] : undefined;
  if (!price) return undefined;
  return (tokens.promptTokens * price.input + tokens.completionTokens * price.output) / 1_000_000;
}

/** Sums the tokens of every attempt that reported some (a failed attempt reports none) and prices them. */
export function stepUsage(attempts: readonly Attempt[], prices: Readonly<Record<string, ModelPrice>>): StepUsage {
  let tokens = NO_TOKENS;
  let cost = 0;
  const unpriced = new Set<string>();
  for (const attempt of attempts) {
    if (!attempt.tokens) continue;
    tokens = addTokens(tokens, attempt.tokens);
    const c = costOf(attempt.model, attempt.tokens, prices);
    if (c === undefined) {
      if (attempt.tokens.totalTokens > 0) unpriced.add(attempt.model);
    } else {
      cost += c;
    }
  }
  return unpriced.size > 0 ? { ...tokens, unpriced: [...unpriced] } : { ...tokens, cost: Math.round(cost * 1e8) / 1e8 };
}

export function usageJson(usage: StepUsage): Json {
  return {
    promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, totalTokens: usage.totalTokens,
    ...(usage.cost === undefined ? {} : { cost: usage.cost, currency: 'USD' }),
    ...(usage.unpriced ? { unpriced: usage.unpriced } : {}),
  };
}
