import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import respond from '../../nodes/core/respond/index.js';
import set from '../../nodes/core/set/index.js';
import { parseResolvedProps } from './json-props.js';

const big = { rows: Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `row ${i}`, tags: ['a', null, true, 1.5] })) };

describe('parseResolvedProps', () => {
  it('gives the same result as the schema\'s own parse for the built-in nodes\' props', () => {
    const cases: [z.ZodType, unknown][] = [
      [respond.props, { status: 201, headers: [{ name: 'X-Id', value: '7' }], body: big }],
      [respond.props, { status: 200 }],
      [set.props, { fields: [{ name: 'a.b', value: big }, { name: 'n', value: 3 }, { name: 'none', value: null }] }],
    ];
    for (const [schema, resolved] of cases) {
      const ours = parseResolvedProps(schema, resolved);
      expect(ours).toEqual(schema.safeParse(resolved));
    }
  });

  it('hands JSON values on as they are instead of copying them value by value', () => {
    const parsed = parseResolvedProps(set.props, { fields: [{ name: 'copy', value: big }] });
    expect(parsed.success && (parsed.data as { fields: { value: unknown }[] }).fields[0]!.value).toBe(big);
  });

  it('still reports every other problem, with its path', () => {
    const resolved = { status: 99, body: big };
    const ours = parseResolvedProps(respond.props, resolved);
    expect(ours.success).toBe(false);
    expect(ours.error?.issues.map((i) => i.path)).toEqual(respond.props.safeParse(resolved).error?.issues.map((i) => i.path));
  });
});
