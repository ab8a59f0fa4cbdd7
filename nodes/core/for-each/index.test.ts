import { describe, expect, it } from 'vitest';
import { LoopRequest, NonRetryableError } from '@switchyard/sdk';
import { runNode } from '../../testing.js';
import forEach from './index.js';

describe('core.for-each', () => {
  it('asks the runtime to loop over the items on the item port', async () => {
    const result = await runNode(forEach, {}, { items: [1, { a: 2 }], concurrency: 3 });
    expect(result).toBeInstanceOf(LoopRequest);
    expect(result).toMatchObject({ items: [1, { a: 2 }], port: 'item', concurrency: 3 });
  });

  it('defaults to {{ $json.items }} with 5 at a time', () => {
    expect(forEach.props.parse({})).toEqual({ items: '{{ $json.items }}', concurrency: 5 });
  });

  it('reads input.items when the prop was left out and its default arrived unresolved', async () => {
    expect(await runNode(forEach, { items: ['a', 'b'] }, {})).toMatchObject({ items: ['a', 'b'], concurrency: 5 });
    await expect(runNode(forEach, { other: 1 }, {})).rejects.toThrow('got null');
  });

  it('names the type it got when items is not an array', async () => {
    await expect(runNode(forEach, {}, { items: { a: 1 } })).rejects.toThrow(NonRetryableError);
    await expect(runNode(forEach, {}, { items: { a: 1 } })).rejects.toThrow('"items" must be an array, got object');
    await expect(runNode(forEach, {}, { items: null })).rejects.toThrow('got null');
    await expect(runNode(forEach, {}, { items: 'abc' })).rejects.toThrow('got string');
  });

  it('bounds concurrency to 1–50', () => {
    expect(forEach.props.safeParse({ concurrency: 0 }).success).toBe(false);
    expect(forEach.props.safeParse({ concurrency: 51 }).success).toBe(false);
    expect(forEach.props.safeParse({ concurrency: 2.5 }).success).toBe(false);
  });
});
