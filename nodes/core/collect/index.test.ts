import { describe, expect, it } from 'vitest';
import { runNode } from '../../testing.js';
import collect from './index.js';

describe('core.collect', () => {
  it('wraps the branch results in { items }', async () => {
    expect(await runNode(collect, [{ a: 1 }, 2], {})).toEqual({ main: { items: [{ a: 1 }, 2] } });
    expect(await runNode(collect, [], {})).toEqual({ main: { items: [] } });
  });

  it('collects its loop scope', () => {
    expect(collect.inputMode).toBe('collect');
  });
});
