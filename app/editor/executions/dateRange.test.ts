import { describe, expect, it } from 'vitest';
import { rangeProblem, rangeToQuery } from './dateRange';

const now = new Date(2024, 2, 10, 15, 30); // 10 March 2024, 15:30 local time

describe('executions date range', () => {
  it('turns presets into instants relative to now', () => {
    expect(rangeToQuery({ range: null, from: null, to: null }, now)).toEqual({});
    expect(rangeToQuery({ range: 'hour', from: null, to: null }, now)).toEqual({ since: new Date(2024, 2, 10, 14, 30).toISOString() });
    expect(rangeToQuery({ range: 'today', from: null, to: null }, now)).toEqual({ since: new Date(2024, 2, 10).toISOString() });
    expect(rangeToQuery({ range: '7d', from: null, to: null }, now)).toEqual({ since: new Date(now.getTime() - 7 * 86_400_000).toISOString() });
  });

  it('includes the whole "to" day of a custom range and ignores missing or malformed days', () => {
    expect(rangeToQuery({ range: 'custom', from: '2024-03-01', to: '2024-03-03' }, now))
      .toEqual({ since: new Date(2024, 2, 1).toISOString(), until: new Date(2024, 2, 4).toISOString() });
    expect(rangeToQuery({ range: 'custom', from: '2024-03-01', to: null }, now)).toEqual({ since: new Date(2024, 2, 1).toISOString() });
    expect(rangeToQuery({ range: 'custom', from: 'yesterday', to: '' }, now)).toEqual({});
  });

  it('names a reversed custom range', () => {
    expect(rangeProblem({ range: 'custom', from: '2024-03-05', to: '2024-03-01' })).toMatch(/before/);
    expect(rangeProblem({ range: 'custom', from: '2024-03-05', to: '2024-03-05' })).toBeUndefined();
    expect(rangeProblem({ range: 'today', from: '2024-03-05', to: '2024-03-01' })).toBeUndefined();
  });
});
