import { describe, expect, it } from 'vitest';
import { NodeError, NonRetryableError } from '@switchyard/sdk';
import { toStepError } from './step.js';

describe('toStepError: what a failure records', () => {
  it('keeps a node error\'s code, retryability and JSON details', () => {
    expect(toStepError(new NonRetryableError('bad request', { code: 'http_status', details: [{ status: 400 }] }), 'n1'))
      .toEqual({ message: 'bad request', code: 'http_status', nodeId: 'n1', retryable: false, details: [{ status: 400 }] });
    expect(toStepError(new Error('boom'), 'n2')).toEqual({ message: 'boom', code: 'node_error', nodeId: 'n2', retryable: true });
  });

  it('cuts a huge message and replaces what Postgres cannot store, so the failure itself is recorded', () => {
    const long = toStepError(new NodeError('z'.repeat(25_000)), 'n');
    expect(long.message).toBe(`${'z'.repeat(10_000)}… (15000 more characters)`);
    expect(toStepError(new Error('a\0b \ud83d'), 'n').message).toBe('a\uFFFDb \uFFFD');
  });

  it('drops details Postgres could not store instead of failing the commit', () => {
    const error = toStepError(new NodeError('provider said no', { details: [{ body: 'raw\0bytes' }] }), 'n');
    expect(error).toEqual({ message: 'provider said no', code: 'node_error', nodeId: 'n', retryable: true });
  });
});
