import { describe, expect, it } from 'vitest';
import { costText, tokensText, usdText } from './format';

const figures = { promptTokens: 0, completionTokens: 0, totalTokens: 0, cost: 0.012, unpricedSteps: 0, steps: 2 };

describe('usage figures as the Usage page shows them', () => {
  it('keeps a fraction of a cent and two places otherwise', () => {
    expect([0, 0.012, 0.5, 0.003, 1.5, 0.123456789].map(usdText)).toEqual(['$0.00', '$0.012', '$0.50', '$0.003', '$1.50', '$0.123457']);
    expect(tokensText(1234567)).toBe('1,234,567');
  });

  it('says "no price" when no step had one, and how many lacked one otherwise', () => {
    expect(costText(figures)).toBe('$0.012');
    expect(costText({ ...figures, cost: 0, unpricedSteps: 2 })).toBe('no price');
    expect(costText({ ...figures, unpricedSteps: 1 })).toBe('$0.012 + 1 step with no price');
  });
});
