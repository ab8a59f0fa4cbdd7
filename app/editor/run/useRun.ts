import { useCallback, useEffect, useRef } from 'react';
import type { ExecutionEvent, ExecutionRecord } from '../../../runtime/services/types.js';
import { api } from '../api';
import { useEditorStore } from '../store/context';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * Follows one execution over SSE (`/api/executions/:id/events`): the snapshot and every status and
 * step event go into the run slice, so nodes light up as they run. When a step ends, the record is
 * re-read (at most every 300 ms) so the data panel shows its input and output while the run goes on.
 */
export function useRunFollower() {
  const store = useEditorStore();
  const source = useRef<EventSource>();
  const refetch = useRef<ReturnType<typeof setTimeout>>();

  const stop = useCallback(() => {
    source.current?.close();
    source.current = undefined;
    clearTimeout(refetch.current);
  }, []);
  useEffect(() => stop, [stop]);

  const follow = useCallback((executionId: string) => {
    stop();
    store.getState().startRun(executionId);
    const load = () => {
      clearTimeout(refetch.current);
      refetch.current = setTimeout(() => {
        void api<ExecutionRecord>(`/executions/${executionId}`).then((record) => {
          if (store.getState().run?.executionId === executionId) store.getState().applySnapshot(record);
        }).catch(() => {});
      }, 300);
    };
    const es = new EventSource(`/api/executions/${encodeURIComponent(executionId)}/events`);
    source.current = es;
    es.addEventListener('snapshot', (e) => store.getState().applySnapshot(JSON.parse((e as MessageEvent<string>).data)));
    es.onmessage = (e: MessageEvent<string>) => {
      const event: ExecutionEvent = JSON.parse(e.data);
      store.getState().applyEvent(event);
      if (event.type === 'step' && event.status !== 'running') load();
      if (event.type === 'status' && FINAL.has(event.status)) { es.close(); load(); }
    };
    // The server ends the stream when the run is over; EventSource would reconnect, so close it.
    es.onerror = () => {
      const status = store.getState().run?.status;
      if (!status || FINAL.has(status)) es.close();
    };
  }, [store, stop]);

  return { follow, stop };
}
