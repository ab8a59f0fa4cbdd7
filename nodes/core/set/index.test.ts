import { describe, expect, it } from 'vitest';
import { runNode } from '../../testing.js';
import set from './index.js';

describe('core.set', () => {
  it('builds a fresh object from dot-path fields by default', async () => {
    const result = await runNode(set, { ignored: true }, {
      fields: [
        { name: 'customer.name', value: 'Asha' },
        { name: 'customer.tags', value: ['vip'] },
        { name: 'total', value: 42 },
      ],
    });
    expect(result).toEqual({ main: { customer: { name: 'Asha', tags: ['vip'] }, total: 42 } });
  });

  it('keeps the input fields when asked, without mutating the input', async () => {
    const input = { id: 7, customer: { name: 'Old', city: 'Pune' } };
    const result = await runNode(set, input, { keepInput: true, fields: [{ name: 'customer.name', value: 'New' }] });
    expect(result).toEqual({ main: { id: 7, customer: { name: 'New', city: 'Pune' } } });
    expect(input.customer.name).toBe('Old');
  });

  it('starts from {} when keepInput is set but the input is not an object', async () => {
    expect(await runNode(set, [1, 2], { keepInput: true, fields: [{ name: 'a', value: 1 }] })).toEqual({ main: { a: 1 } });
  });

  it('lets a later field override an earlier one', async () => {
    const result = await runNode(set, null, { fields: [{ name: 'a', value: 1 }, { name: 'a.b', value: 2 }] });
    expect(result).toEqual({ main: { a: { b: 2 } } });
  });

  it('defaults a missing value to null', async () => {
    expect(await runNode(set, null, { fields: [{ name: 'x' }] })).toEqual({ main: { x: null } });
  });

  it('rejects unsafe or malformed field names in the schema', () => {
    for (const name of ['__proto__.x', 'a..b', '', 'a b']) {
      const result = set.props.safeParse({ fields: [{ name, value: 1 }] });
      expect(result.success, name).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['fields', 0, 'name']);
    }
  });
});
