import type { AiUsageFigures } from '../../../runtime/index.js';

/** Whole tokens with thousands separators. */
export function tokensText(n: number): string {
  return n.toLocaleString('en-US');
}

/** USD with enough places for a fraction of a cent (AI steps often cost less than one). */
export function usdText(n: number): string {
  if (n === 0) return '$0.00';
  if (n < 0.01) return `$${n.toFixed(6).replace(/0+$/, '')}`;
  return `$${n.toFixed(n < 1 ? 4 : 2)}`;
}

/**
 * The cost cell: "no price" when none of the steps had a price for their model (their tokens still
 * count), the cost plus a note when only some of them lacked one.
 */
export function costText(f: AiUsageFigures): string {
  if (f.unpricedSteps > 0 && f.unpricedSteps >= f.steps) return 'no price';
  const cost = usdText(f.cost);
  return f.unpricedSteps > 0 ? `${cost} + ${f.unpricedSteps} step${f.unpricedSteps === 1 ? '' : 's'} with no price` : cost;
}
