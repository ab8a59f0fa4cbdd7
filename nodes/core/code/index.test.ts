import { describe, expect, it } from 'vitest';
import { NonRetryableError } from '@switchyard/sdk';
import { createTestContext, runNode } from '../../testing.js';
import code from './index.js';

describe('core.code', () => {
  it('runs the code through the core sandbox and logs what it printed', async () => {
    const calls: string[] = [];
    const ctx = createTestContext({
      runCode: async (source) => {
        calls.push(source);
        return { result: { doubled: 4 }, logs: ['first', 'second'] };
      },
    });
    const result = await runNode(code, { n: 2 }, { code: 'return { doubled: $json.n * 2 };' }, ctx);
    expect(result).toEqual({ main: { doubled: 4 } });
    expect(calls).toEqual(['return { doubled: $json.n * 2 };']);
    expect(ctx.logs).toEqual([{ level: 'info', message: 'first' }, { level: 'info', message: 'second' }]);
  });

  it('defaults to copying the input', () => {
    expect(code.props.parse({})).toEqual({ code: 'return { ...$json };' });
  });

  it('lets sandbox errors through unchanged', async () => {
    const failure = new Error('ReferenceError: x is not defined');
    const ctx = createTestContext({ runCode: async () => { throw failure; } });
    await expect(runNode(code, {}, { code: 'x' }, ctx)).rejects.toBe(failure);
  });

  it('fails without retry when the core capabilities are missing', async () => {
    await expect(runNode(code, {}, {}, createTestContext({ withoutCore: true }))).rejects.toThrow(NonRetryableError);
  });

  it('keeps its code literal', () => {
    expect(code.literalProps).toEqual(['code']);
    expect(code.sideEffects).toBe(false);
  });
});
