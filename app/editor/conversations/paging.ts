/**
 * Paging for the inbox's live lists (threads newest first, a thread's messages oldest first).
 *
 * The API pages by time: `before` returns rows strictly older than an ISO time. Times are shown
 * to the millisecond while Postgres keeps microseconds, and providers date messages to the second
 * (Telegram, WhatsApp), so several rows can share a page boundary's millisecond; a strict cursor
 * would skip the ones that did not fit on the page. {@link justAfter} asks for one millisecond
 * more, so the boundary's rows come again and are dropped by id.
 */

interface Row { id: string }

/** The ISO time 1 ms after `iso`: a `before` cursor that includes rows of the same millisecond. */
export function justAfter(iso: string): string {
  return new Date(new Date(iso).getTime() + 1).toISOString();
}

/** How a list's rows compare in time, and which way it is shown. */
export interface RowOrder<T> {
  /** `a` is older than `b` (ties broken by id, as the API orders them). */
  isOlder(a: T, b: T): boolean;
  /** Threads: newest first. Messages: oldest first. */
  newestFirst: boolean;
}

/**
 * Merges a fresh newest page into what is shown, keeping pages loaded with "Show older".
 * `full`: the server has rows beyond the fresh page.
 *
 * - A fresh page that is not full is everything there is: it replaces the rest.
 * - Shown rows older than the fresh page's oldest stay (older pages, or rows pushed out of the
 *   newest page by new ones); shown rows within its span that it lacks no longer match (a filter)
 *   and go.
 * - A full fresh page whose oldest row is newer than everything shown means more threads changed
 *   than one page holds (a changed row moves to the top): what lies between is unknown, so only
 *   the fresh page stays (older pages load again).
 */
export function refreshNewest<T extends Row>(shown: readonly T[], fresh: readonly T[], full: boolean, order: RowOrder<NoInfer<T>>): T[] {
  if (!full || fresh.length === 0) return sortRows([...fresh], order);
  const oldest = fresh.reduce((a, b) => (order.isOlder(b, a) ? b : a));
  const newestShown = shown.reduce<T | undefined>((a, b) => (a === undefined || order.isOlder(a, b) ? b : a), undefined);
  if (newestShown && order.isOlder(newestShown, oldest)) return sortRows([...fresh], order);
  const freshIds = new Set(fresh.map((r) => r.id));
  const kept = shown.filter((r) => !freshIds.has(r.id) && order.isOlder(r, oldest));
  return sortRows([...fresh, ...kept], order);
}

/** Adds an older page to what is shown (rows already shown keep their newer copy). Returns the rows and how many were new. */
export function appendOlder<T extends Row>(shown: readonly T[], page: readonly T[], order: RowOrder<NoInfer<T>>): { rows: T[]; added: number } {
  const ids = new Set(shown.map((r) => r.id));
  const added = page.filter((r) => !ids.has(r.id));
  return { rows: sortRows([...shown, ...added], order), added: added.length };
}

/** The oldest shown row (the cursor for the next older page). */
export function oldestOf<T extends Row>(rows: readonly T[], order: RowOrder<NoInfer<T>>): T | undefined {
  return order.newestFirst ? rows.at(-1) : rows[0];
}

function sortRows<T>(rows: T[], order: RowOrder<NoInfer<T>>): T[] {
  const older = (a: T, b: T) => (order.isOlder(a, b) ? -1 : order.isOlder(b, a) ? 1 : 0);
  return rows.sort(order.newestFirst ? (a, b) => older(b, a) : older);
}

type ThreadKey = { lastMessageAt: string; id: string };
type MessageKey = { createdAt: string; id: string };

/** The inbox's threads: newest message first, as `GET /conversations` orders them. */
export const threadOrder: RowOrder<ThreadKey> = {
  isOlder: (a, b) => (a.lastMessageAt !== b.lastMessageAt ? a.lastMessageAt < b.lastMessageAt : a.id < b.id),
  newestFirst: true,
};

/** A thread's messages: oldest first, as `GET /conversations/:id` returns a page. */
export const messageOrder: RowOrder<MessageKey> = {
  isOlder: (a, b) => (a.createdAt !== b.createdAt ? a.createdAt < b.createdAt : a.id < b.id),
  newestFirst: false,
};
