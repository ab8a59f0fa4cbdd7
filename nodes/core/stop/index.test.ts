import { describe, expect, it } from 'vitest';
import { StopError } from '@switchyard/sdk';
import { runNode } from '../../testing.js';
import stop from './index.js';

describe('core.stop', () => {
  it('throws a StopError with the message and code', async () => {
    const error = await runNode(stop, {}, { message: 'Order rejected', code: 'rejected' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StopError);
    expect(error).toMatchObject({ message: 'Order rejected', code: 'rejected' });
  });

  it('defaults to "Stopped" / stopped and has no outputs', async () => {
    await expect(runNode(stop, {}, {})).rejects.toMatchObject({ message: 'Stopped', code: 'stopped' });
    expect(stop.ports.out).toEqual([]);
  });
});
