import { useCallback, useEffect, useState } from 'react';
import type { ConversationSummary } from '../../../runtime/services/types.js';
import { api, plainMessage } from '../api';
import { appendOlder, justAfter, oldestOf, refreshNewest, threadOrder } from './paging';
import { useReloadOn, type InboxListener } from './useInboxStream';
import { usePolling } from './usePolling';

/** Threads per page: the newest page is kept current, older ones load on request. */
export const THREAD_PAGE = 100;
/** How often the list refreshes while the live stream is down. */
const FALLBACK_REFRESH_MS = 4000;

interface Shown {
  /** The filters these rows are for. */
  key: string;
  rows: ConversationSummary[];
  /** The server has threads older than the last row. */
  more: boolean;
}

/**
 * The inbox's threads for the filters in `filters` (a query string without `limit`/`before`): the
 * newest page, refetched on every live change (or polled while the stream is down), with the
 * older pages the person asked for kept below it (see `paging.ts` for how the two are merged).
 */
export function useThreadList(filters: string, live: boolean, subscribe: (listener: InboxListener) => () => void) {
  const pageQuery = useCallback((before?: string) => {
    const query = new URLSearchParams(filters);
    query.set('limit', String(THREAD_PAGE));
    if (before) query.set('before', before);
    return `/conversations?${query}`;
  }, [filters]);
  const { data: newest, error, setError, reload } = usePolling(filters,
    (signal) => api<ConversationSummary[]>(pageQuery(), { signal }), live ? null : FALLBACK_REFRESH_MS);
  // Any change may move, add or drop a thread of the page; a reconnection may have missed some.
  useReloadOn(subscribe, (signal) => signal.type === 'change' || signal.reconnected, reload);

  const [shown, setShown] = useState<Shown>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  useEffect(() => {
    if (!newest) return;
    setShown((s) => {
      const full = newest.length >= THREAD_PAGE;
      const rows = refreshNewest(s?.key === filters ? s.rows : [], newest, full, threadOrder);
      // Nothing kept beyond a full page: there is more to load again.
      const more = full && (rows.length === newest.length || s?.key !== filters || s.more);
      return { key: filters, rows, more };
    });
  }, [newest, filters]);

  const current = shown?.key === filters ? shown : undefined;
  async function loadOlder() {
    const oldest = current && oldestOf(current.rows, threadOrder);
    if (!oldest) return;
    setLoadingOlder(true);
    setError(undefined);
    try {
      let page = await api<ConversationSummary[]>(pageQuery(justAfter(oldest.lastMessageAt)));
      if (page.length >= THREAD_PAGE && appendOlder(current.rows, page, threadOrder).added === 0) {
        // A whole page within the last row's millisecond: step past it rather than ask for it forever.
        page = await api<ConversationSummary[]>(pageQuery(oldest.lastMessageAt));
      }
      setShown((s) => (s?.key === filters
        ? { key: filters, rows: appendOlder(s.rows, page, threadOrder).rows, more: page.length >= THREAD_PAGE }
        : s));
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setLoadingOlder(false);
    }
  }

  return { threads: current?.rows, more: current?.more ?? false, loadOlder, loadingOlder, error, reload };
}
