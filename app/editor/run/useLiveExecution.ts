import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExecutionEvent, ExecutionRecord, ExecutionStatus } from '../../../runtime/services/types.js';
import { api, plainMessage } from '../api';

const FINAL: ReadonlySet<ExecutionStatus> = new Set(['succeeded', 'failed', 'cancelled']);
/** Fallback while a run is in progress: the stream can drop (proxy, sleep) and reconnects on its own. */
export const SLOW_POLL_MS = 10_000;

export function isLive(status: ExecutionStatus | undefined): boolean {
  return status !== undefined && !FINAL.has(status);
}

/**
 * One execution, kept current while it runs: read once, then (while not finished) followed over
 * SSE (`/api/executions/:id/events`): status events update it at once, finished steps re-read the
 * record (at most every 300 ms). A slow poll stays as a fallback. The stream closes when it ends.
 */
export function useLiveExecution(id: string) {
  const [record, setRecord] = useState<ExecutionRecord>();
  const [error, setError] = useState<string>();
  const pending = useRef<ReturnType<typeof setTimeout>>();
  const current = useRef(id);
  current.current = id;

  const reload = useCallback(async () => {
    try {
      const r = await api<ExecutionRecord>(`/executions/${encodeURIComponent(id)}`);
      if (current.current === id) setRecord(r);
    } catch (e) {
      if (current.current === id) setError(plainMessage(e));
    }
  }, [id]);

  useEffect(() => {
    setRecord(undefined);
    setError(undefined);
    void reload();
    return () => clearTimeout(pending.current);
  }, [reload]);

  const live = isLive(record?.status);
  useEffect(() => {
    if (!live) return;
    const soon = () => {
      clearTimeout(pending.current);
      pending.current = setTimeout(() => void reload(), 300);
    };
    let es: EventSource | undefined;
    if (typeof EventSource !== 'undefined') {
      es = new EventSource(`/api/executions/${encodeURIComponent(id)}/events`);
      es.addEventListener('snapshot', (e) => {
        const snapshot: ExecutionRecord = JSON.parse((e as MessageEvent<string>).data);
        if (snapshot.id === id) setRecord(snapshot);
      });
      es.onmessage = (e: MessageEvent<string>) => {
        const event: ExecutionEvent = JSON.parse(e.data);
        if (event.executionId !== id) return;
        if (event.type === 'status') {
          setRecord((r) => (r ? { ...r, status: event.status } : r));
          if (FINAL.has(event.status)) es?.close();
          soon();
        } else if (event.status !== 'running') {
          soon();
        }
      };
      // The server ends the stream when the run is over; EventSource would reconnect, so close it then.
      es.onerror = () => { if (es?.readyState === EventSource.CLOSED) soon(); };
    }
    const timer = setInterval(() => { if (document.visibilityState === 'visible') void reload(); }, SLOW_POLL_MS);
    return () => {
      es?.close();
      clearInterval(timer);
    };
  }, [id, live, reload]);

  return { record, error, setError, reload };
}
