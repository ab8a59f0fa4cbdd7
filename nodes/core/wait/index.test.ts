import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WaitRequest } from '@switchyard/sdk';
import { createTestContext, runNode } from '../../testing.js';
import wait from './index.js';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('core.wait', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('parks for a delay', async () => {
    const result = await runNode(wait, { a: 1 }, { mode: 'delay', amount: 2, unit: 'hours' });
    expect(result).toBeInstanceOf(WaitRequest);
    expect((result as WaitRequest).spec).toEqual({ until: NOW + 2 * 3_600_000 });
  });

  it('refuses a delay longer than a year, naming the field', () => {
    expect(wait.props.safeParse({ mode: 'delay', amount: 365, unit: 'days' }).success).toBe(true);
    const tooLong = wait.props.safeParse({ mode: 'delay', amount: 1e9, unit: 'days' });
    expect(tooLong.success).toBe(false);
    expect(tooLong.error?.issues).toEqual([expect.objectContaining({ path: ['amount'], message: expect.stringContaining('at most a year') })]);
  });

  it('defaults to one minute', async () => {
    expect(((await runNode(wait, null, {})) as WaitRequest).spec).toEqual({ until: NOW + 60_000 });
  });

  it('parks until a date', async () => {
    const result = await runNode(wait, null, { mode: 'until', until: '2025-03-02T00:00:00+01:00' });
    expect((result as WaitRequest).spec).toEqual({ until: Date.parse('2025-03-01T23:00:00Z') });
  });

  it('continues at once for a past date or a zero delay', async () => {
    expect(await runNode(wait, { a: 1 }, { mode: 'until', until: '2020-01-01' })).toEqual({ main: { a: 1 } });
    expect(await runNode(wait, { a: 1 }, { mode: 'delay', amount: 0 })).toEqual({ main: { a: 1 } });
  });

  it('parks resumable, with an optional timeout', async () => {
    expect(((await runNode(wait, null, { mode: 'resume' })) as WaitRequest).spec).toEqual({ resumable: true, until: undefined });
    expect(((await runNode(wait, null, { mode: 'resume', timeoutMs: 5000 })) as WaitRequest).spec).toEqual({ resumable: true, until: NOW + 5000 });
  });

  it('emits the resume payload when resumed by a call', async () => {
    const ctx = createTestContext({ resumed: { kind: 'resume', payload: { approved: true } } });
    expect(await runNode(wait, { a: 1 }, { mode: 'resume' }, ctx)).toEqual({ main: { approved: true } });
  });

  it('emits its input when resumed by the timer', async () => {
    const ctx = createTestContext({ resumed: { kind: 'timer' } });
    expect(await runNode(wait, { a: 1 }, { mode: 'delay' }, ctx)).toEqual({ main: { a: 1 } });
  });

  it('requires a valid ISO date in until mode, at the until field', () => {
    expect(wait.props.safeParse({ mode: 'until' }).error?.issues[0]).toMatchObject({ path: ['until'] });
    expect(wait.props.safeParse({ mode: 'until', until: 'tomorrow' }).error?.issues[0]).toMatchObject({
      path: ['until'], message: expect.stringMatching(/not an ISO date/),
    });
    // Other modes ignore it.
    expect(wait.props.safeParse({ mode: 'delay', until: 'tomorrow' }).success).toBe(true);
  });
});
