import { useCallback, useEffect, useRef } from 'react';
import type { ExecutionEvent, ExecutionRecord } from '../../../runtime/services/types.js';
import { api } from '../api';
import { useEditorStore } from '../store/context';

const FINAL = new Set(['succeeded', 'failed', 'cancelled']);
/** Modes whose runs publish step events; others (a webhook call) only publish status changes. */
const STEP_EVENTS = new Set(['manual', 'rerun']);

/**
 * Follows one execution over SSE (`/api/executions/:id/events`): the snapshot and every status and
 * step event go into the run slice, so nodes light up as they run. When a step ends, the record is
 * re-read (at most every 300 ms) so the data panel shows its input and output while the run goes on.
 */
export function useRunFollower() {
  const store = useEditorStore();
  const source = useRef<EventSource>();
  const refetch = useRef<ReturnType<typeof setTimeout>>();
  const poll = useRef<ReturnType<typeof setInterval>>();

  const stop = useCallback(() => {
    source.current?.close();
    source.current = undefined;
    clearTimeout(refetch.current);
    clearInterval(poll.current);
  }, []);
  useEffect(() => stop, [stop]);

  const follow = useCallback((executionId: string) => {
    stop();
    store.getState().startRun(executionId);
    const load = () => {
      clearTimeout(refetch.current);
      refetch.current = setTimeout(() => {
        void api<ExecutionRecord>(`/executions/${executionId}?steps=latest`).then((record) => {
          if (FINAL.has(record.status)) clearInterval(poll.current);
          if (store.getState().run?.executionId === executionId) store.getState().applySnapshot(record);
        }).catch(() => {});
      }, 300);
    };
    // The canvas shows one step per node: a loop's thousands of steps stay on the server.
    const es = new EventSource(`/api/executions/${encodeURIComponent(executionId)}/events?steps=latest`);
    source.current = es;
    es.addEventListener('snapshot', (e) => {
      const record: ExecutionRecord = JSON.parse((e as MessageEvent<string>).data);
      store.getState().applySnapshot(record);
      // No step events for this run (e.g. a real webhook call): re-read its steps every second while it runs.
      clearInterval(poll.current);
      if (!STEP_EVENTS.has(record.mode) && !FINAL.has(record.status)) poll.current = setInterval(load, 1000);
    });
    es.onmessage = (e: MessageEvent<string>) => {
      const event: ExecutionEvent = JSON.parse(e.data);
      store.getState().applyEvent(event);
      if (event.type === 'step' && event.status !== 'running') load();
      if (event.type === 'status' && FINAL.has(event.status)) { es.close(); clearInterval(poll.current); load(); }
    };
    // The server ends the stream when the run is over; EventSource would reconnect, so close it.
    es.onerror = () => {
      const status = store.getState().run?.status;
      if (!status || FINAL.has(status)) es.close();
    };
  }, [store, stop]);

  return { follow, stop };
}
