import type { AiUsageFigures } from '../../../runtime/index.js';

/** Whole tokens with thousands separators. */
export function tokensText(n: number): string {
  return n.toLocaleString('en-US');
}

/** USD with enough places for a fraction of a cent (AI steps often cost less than one): $0.012, $0.50, $12.30. */
export function usdText(n: number): string {
  if (n >= 1) return `$${n.toFixed(2)}`;
  const places = n.toFixed(6).replace(/0+$/, '');
  return `$${places.length - places.indexOf('.') - 1 < 2 ? n.toFixed(2) : places}`;
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
