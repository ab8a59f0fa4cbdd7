import { useCallback, useEffect, useRef, useState } from 'react';
import { plainMessage } from '../api';

/**
 * Loads `load` now and again every `everyMs` while the tab is visible, and again whenever `key`
 * changes. The inbox passes `null` while its live stream is open (changes then call `reload`)
 * and polls only while it is not. `reload` refreshes at once. Answers to an older key are dropped.
 */
export function usePolling<T>(key: string, load: (signal: AbortSignal) => Promise<T>, everyMs: number | null) {
  const [data, setData] = useState<{ key: string; value: T }>();
  const [error, setError] = useState<string>();
  const latest = useRef(load);
  latest.current = load;
  const current = useRef<AbortController>();

  const reload = useCallback(async () => {
    current.current?.abort();
    const controller = new AbortController();
    current.current = controller;
    try {
      const value = await latest.current(controller.signal);
      if (!controller.signal.aborted) { setData({ key, value }); setError(undefined); }
    } catch (e) {
      if (!controller.signal.aborted) setError(plainMessage(e));
    }
  }, [key]);

  useEffect(() => {
    void reload();
    return () => { current.current?.abort(); };
  }, [reload]);
  useEffect(() => {
    if (everyMs === null) return;
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void reload(); }, everyMs);
    return () => { clearInterval(timer); };
  }, [reload, everyMs]);

  // Until the first answer for this key arrives, the previous key's data is not this page's.
  return { data: data?.key === key ? data.value : undefined, error, setError, reload };
}
