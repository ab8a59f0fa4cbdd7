import { describe, expect, it } from 'vitest';
import { appendOlder, justAfter, messageOrder, oldestOf, refreshNewest, threadOrder } from './paging';

const t = (id: string, second: number) => ({ id, lastMessageAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString() });
const ids = (rows: { id: string }[]) => rows.map((r) => r.id);

describe('inbox paging', () => {
  it('asks for the boundary millisecond again, so rows sharing it are not skipped', () => {
    expect(justAfter('2026-01-01T00:00:05.000Z')).toBe('2026-01-01T00:00:05.001Z');
    expect(justAfter('2026-01-01T23:59:59.999Z')).toBe('2026-01-02T00:00:00.000Z');
  });

  it('adds an older page once, newest first, dropping the rows it repeats', () => {
    const shown = [t('e', 50), t('d', 40), t('c', 30)];
    const { rows, added } = appendOlder(shown, [t('c', 30), t('b', 30), t('a', 10)], threadOrder);
    expect(ids(rows)).toEqual(['e', 'd', 'c', 'b', 'a']);
    expect(added).toBe(2);
    expect(oldestOf(rows, threadOrder)?.id).toBe('a');
  });

  it('keeps older pages under a refreshed newest page, and the row a new thread pushed out of it', () => {
    const shown = [t('d', 40), t('c', 30), t('b', 20), t('a', 10)];
    // More changed than the (two-row) page holds: what lies below it is unknown, so only the page stays.
    expect(ids(refreshNewest(shown, [t('n', 60), t('b', 55)], true, threadOrder))).toEqual(['n', 'b']);
    // The page reaches what was shown: older rows stay, and so does "c", pushed out of it by "n".
    expect(ids(refreshNewest(shown, [t('n', 60), t('d', 40)], true, threadOrder))).toEqual(['n', 'd', 'c', 'b', 'a']);
    expect(ids(refreshNewest(shown, [t('b', 55), t('d', 40)], true, threadOrder))).toEqual(['b', 'd', 'c', 'a']);
    // Everything there is: nothing else stays.
    expect(ids(refreshNewest(shown, [t('n', 60), t('d', 40)], false, threadOrder))).toEqual(['n', 'd']);
  });

  it('drops a shown row within the fresh page\'s span that the page no longer has (it left the filter)', () => {
    const shown = [t('d', 40), t('c', 30), t('b', 20), t('a', 10)];
    expect(ids(refreshNewest(shown, [t('d', 40), t('b', 20)], true, threadOrder))).toEqual(['d', 'b', 'a']);
  });

  it('orders messages oldest first, with the same rules', () => {
    const m = (id: string, second: number) => ({ id, createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, second)).toISOString() });
    const shown = [m('1', 1), m('2', 2), m('3', 3), m('4', 4)];
    expect(ids(refreshNewest(shown, [m('4', 4), m('5', 5)], true, messageOrder))).toEqual(['1', '2', '3', '4', '5']);
    expect(oldestOf(shown, messageOrder)?.id).toBe('1');
    expect(ids(appendOlder(shown, [m('0', 0), m('1', 1)], messageOrder).rows)).toEqual(['0', '1', '2', '3', '4']);
  });
});
