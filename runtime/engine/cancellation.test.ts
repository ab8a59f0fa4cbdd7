import { expect, it } from 'vitest';
import { Cancellation } from './cancellation.js';

it('calls each listener once on abort, at once when already aborted, and not after removal', () => {
  const cancel = new Cancellation();
  const calls: string[] = [];
  cancel.onAbort(() => calls.push('a'));
  const remove = cancel.onAbort(() => calls.push('removed'));
  remove();
  expect(cancel.aborted).toBe(false);
  cancel.abort();
  cancel.abort();
  expect(cancel.aborted).toBe(true);
  cancel.onAbort(() => calls.push('late'));
  expect(calls).toEqual(['a', 'late']);
});

it('a child aborts with its parent, and alone without touching the parent', () => {
  const parent = new Cancellation();
  const alone = parent.child();
  alone.abort();
  expect(parent.aborted).toBe(false);
  const child = parent.child();
  parent.abort();
  expect(child.aborted).toBe(true);
});
