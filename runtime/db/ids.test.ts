import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { idFollowing, timeOrderedId } from './ids.js';

describe('timeOrderedId', () => {
  it('is a version-7 UUID whose first 48 bits are the milliseconds it was made at', () => {
    const at = Date.UTC(2026, 11, 6, 19, 40, 3, 123);
    const id = timeOrderedId(at);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id[14]).toBe('7');
    expect(['8', '9', 'a', 'b']).toContain(id[19]);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('sorts by time across milliseconds, and never repeats among many made in the same one', () => {
    const ids = [timeOrderedId(1_000), timeOrderedId(2_000), timeOrderedId(2 ** 40 + 5), timeOrderedId(2 ** 47)];
    expect([...ids].sort()).toEqual(ids);
    const same = new Set(Array.from({ length: 10_000 }, () => timeOrderedId(1_700_000_000_000)));
    expect(same.size).toBe(10_000);
  });
});

describe('idFollowing', () => {
  it('gives the same id for the same row and key, another for another key, with the row id\'s time', () => {
    const row = timeOrderedId(1_765_000_000_000);
    const id = idFollowing(row, 'channel:flow-a:trigger');
    expect(idFollowing(row, 'channel:flow-a:trigger')).toBe(id);
    expect(idFollowing(row, 'channel:flow-b:trigger')).not.toBe(id);
    expect(idFollowing(timeOrderedId(1_765_000_000_000), 'channel:flow-a:trigger')).not.toBe(id);
    expect(z.uuid().safeParse(id).success).toBe(true);
    expect(id.slice(0, 13)).toBe(row.slice(0, 13));
    // Not a UUID: still one id per input, well spread.
    expect(idFollowing('row-7', 'k')).toBe(idFollowing('row-7', 'k'));
    expect(idFollowing('row-7', 'k')).not.toBe(idFollowing('row-8', 'k'));
  });
});
