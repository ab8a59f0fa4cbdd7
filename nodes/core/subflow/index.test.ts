import { describe, expect, it } from 'vitest';
import { NonRetryableError, WaitRequest } from '@switchyard/sdk';
import { createTestContext, runNode } from '../../testing.js';
import subflow from './index.js';

describe('core.subflow', () => {
  it('starts the child and parks until it finishes', async () => {
    const ctx = createTestContext();
    const result = await runNode(subflow, {}, { flowId: 'flow-b', input: { order: 1 } }, ctx);
    expect(ctx.subflows).toEqual([{ flowId: 'flow-b', input: { order: 1 } }]);
    expect(result).toBeInstanceOf(WaitRequest);
    expect((result as WaitRequest).spec).toEqual({ event: 'subflow:child-1' });
  });

  it('passes the incoming message when input was left out and its default arrived unresolved', async () => {
    const ctx = createTestContext();
    await runNode(subflow, { order: 9 }, { flowId: 'flow-b' }, ctx);
    expect(ctx.subflows).toEqual([{ flowId: 'flow-b', input: { order: 9 } }]);
  });

  it('emits the child execution id at once when not waiting', async () => {
    const ctx = createTestContext();
    expect(await runNode(subflow, {}, { flowId: 'flow-b', input: 1, wait: false }, ctx)).toEqual({ main: { executionId: 'child-1' } });
  });

  it('emits the child result when resumed by its event, without starting it again', async () => {
    const ctx = createTestContext({ resumed: { kind: 'event', name: 'subflow:child-1', payload: { total: 3 } } });
    expect(await runNode(subflow, {}, { flowId: 'flow-b', input: 1 }, ctx)).toEqual({ main: { total: 3 } });
    expect(ctx.subflows).toEqual([]);
  });

  it('fails the step, not retried, when the child failed', async () => {
    const ctx = createTestContext({ resumed: { kind: 'event', name: 'subflow:child-1', payload: null, error: { message: 'sub-flow failed: card declined', code: 'subflow_failed' } } });
    const failure = runNode(subflow, {}, { flowId: 'flow-b', input: 1 }, ctx);
    await expect(failure).rejects.toThrow(NonRetryableError);
    await expect(failure).rejects.toMatchObject({ message: 'sub-flow failed: card declined', code: 'subflow_failed' });
    expect(ctx.subflows).toEqual([]);
  });

  it('refuses any other resume rather than starting a second child', async () => {
    const ctx = createTestContext({ resumed: { kind: 'timer' } });
    await expect(runNode(subflow, {}, { flowId: 'flow-b', input: 1 }, ctx)).rejects.toThrow(NonRetryableError);
    expect(ctx.subflows).toEqual([]);
  });

  it('defaults to passing the input and waiting; it has side effects', () => {
    expect(subflow.props.parse({ flowId: 'f' })).toEqual({ flowId: 'f', input: '{{ $json }}', wait: true });
    expect(subflow.props.safeParse({}).success).toBe(false);
    expect(subflow.sideEffects).toBe(true);
  });
});
