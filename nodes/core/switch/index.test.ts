import { describe, expect, it } from 'vitest';
import { outputPorts } from '@switchyard/sdk';
import { runNode } from '../../testing.js';
import switchNode from './index.js';

const rules = [
  { port: 'vip', conditions: [{ left: 500, operator: 'gte' as const, right: 100 }] },
  { port: 'big', label: 'Big orders', conditions: [{ left: 500, operator: 'gt' as const, right: 50 }] },
  { port: 'never', conditions: [{ left: 1, operator: 'equals' as const, right: 2 }] },
];

describe('core.switch', () => {
  it('routes to the first matching rule by default', async () => {
    const input = { total: 500 };
    expect(await runNode(switchNode, input, { rules })).toEqual({ vip: input });
  });

  it('routes to every matching rule in mode all', async () => {
    const input = { total: 500 };
    expect(await runNode(switchNode, input, { rules, mode: 'all' })).toEqual({ vip: input, big: input });
  });

  it('falls back to default when nothing matches', async () => {
    expect(await runNode(switchNode, 'x', { rules: [rules[2]!] })).toEqual({ default: 'x' });
    expect(await runNode(switchNode, 'x', {})).toEqual({ default: 'x' });
  });

  it('derives its outputs from the rules', () => {
    expect(outputPorts(switchNode, switchNode.props.parse({ rules }))).toEqual(['vip', 'big', 'never', 'default']);
    expect(outputPorts(switchNode, switchNode.props.parse({}))).toEqual(['default']);
  });

  it('rejects duplicate and reserved output ids at the offending rule', () => {
    const duplicate = switchNode.props.safeParse({ rules: [rules[0], { ...rules[1], port: 'vip' }] });
    expect(duplicate.error?.issues).toEqual([
      expect.objectContaining({ path: ['rules', 1, 'port'], message: 'output "vip" is used by an earlier rule' }),
    ]);
    const reserved = switchNode.props.safeParse({ rules: [{ ...rules[0], port: 'default' }] });
    expect(reserved.error?.issues[0]?.path).toEqual(['rules', 0, 'port']);
  });

  it('rejects output ids that are not slugs', () => {
    expect(switchNode.props.safeParse({ rules: [{ ...rules[0], port: 'Has Space' }] }).success).toBe(false);
  });
});
