import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { runNode } from '../../testing.js';
import merge from './index.js';

describe('core.merge', () => {
  it('shallow-merges the arrived messages left to right by default', async () => {
    const result = await runNode(merge, [{ a: 1, shared: 'left', nested: { x: 1 } }, { b: 2, shared: 'right' }], {});
    expect(result).toEqual({ main: { a: 1, b: 2, shared: 'right', nested: { x: 1 } } });
  });

  it('appends the messages in edge order', async () => {
    expect(await runNode(merge, [{ a: 1 }, 'two', 3], { mode: 'append' })).toEqual({ main: { items: [{ a: 1 }, 'two', 3] } });
  });

  it('refuses to merge a non-object, naming its position and type', async () => {
    await expect(runNode(merge, [{ a: 1 }, [1]], {})).rejects.toThrow(NonRetryableError);
    await expect(runNode(merge, [{ a: 1 }, [1]], {})).rejects.toThrow(/message 2 is array/);
  });

  it('keeps a "__proto__" key as data', async () => {
    const hostile = JSON.parse('{"__proto__": {"polluted": true}}');
    const result = await runNode(merge, [hostile], {});
    const main = (result as { main: Record<string, unknown> }).main;
    expect(Object.getPrototypeOf(main)).toBe(Object.prototype);
    expect(Object.hasOwn(main, '__proto__')).toBe(true);
  });

  it('joins its inputs', () => {
    expect(merge.inputMode).toBe('join');
  });
});
