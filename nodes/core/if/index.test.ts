import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { runNode } from '../../testing.js';
import ifNode from './index.js';

describe('core.if', () => {
  const input = { status: 'paid', total: '120' };

  it('emits the input unchanged on true when all conditions hold', async () => {
    const result = await runNode(ifNode, input, {
      conditions: [
        { left: 'paid', operator: 'equals', right: 'paid' },
        { left: '120', operator: 'gt', right: 99 },
      ],
    });
    expect(result).toEqual({ true: input });
    expect((result as { true: unknown }).true).toBe(input);
  });

  it('emits on false when one condition fails under all', async () => {
    const result = await runNode(ifNode, input, {
      conditions: [{ left: 'paid', operator: 'equals', right: 'paid' }, { left: 5, operator: 'gt', right: 10 }],
    });
    expect(result).toEqual({ false: input });
  });

  it('emits on true when any condition holds under any', async () => {
    const result = await runNode(ifNode, input, {
      combine: 'any',
      conditions: [{ left: 5, operator: 'gt', right: 10 }, { left: 'x', operator: 'exists' }],
    });
    expect(result).toEqual({ true: input });
  });

  it('fails without retry on an invalid regex', async () => {
    await expect(runNode(ifNode, input, { conditions: [{ left: 'a', operator: 'regex', right: '[' }] }))
      .rejects.toBeInstanceOf(NonRetryableError);
  });

  it('requires at least one condition and a known operator', () => {
    expect(ifNode.props.safeParse({ conditions: [] }).success).toBe(false);
    expect(ifNode.props.safeParse({ conditions: [{ left: 1, operator: 'like', right: 1 }] }).success).toBe(false);
  });

  it('has true and false outputs', () => {
    expect(ifNode.ports.out).toEqual(['true', 'false']);
  });
});
