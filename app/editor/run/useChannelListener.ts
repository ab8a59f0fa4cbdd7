import { useCallback, useEffect, useRef, useState } from 'react';
import type { TestListen, TestListenState } from '../../../runtime/services/types.js';
import { api, plainMessage } from '../api';
import { LISTEN_POLL_MS, type ListenState } from './useWebhookListener';

/**
 * "Listen for a test event" on a channel trigger: registers a one-shot listener on the trigger's
 * account (`POST /api/flows/:id/test-listen`), then asks every second whether the event came; the
 * test run it started is handed over. The server gives up after two minutes (`expired`).
 */
export function useChannelListener(onExecution: (executionId: string) => void) {
  const [state, setState] = useState<ListenState>({ phase: 'idle' });
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const run = useRef(0);
  const found = useRef(onExecution);
  found.current = onExecution;

  const stop = useCallback(() => {
    run.current += 1;
    clearTimeout(timer.current);
    setState({ phase: 'idle' });
  }, []);
  useEffect(() => () => { run.current += 1; clearTimeout(timer.current); }, []);

  const start = useCallback(async (flowId: string, nodeId: string) => {
    const mine = ++run.current;
    clearTimeout(timer.current);
    try {
      const listen = await api<TestListen>(`/flows/${encodeURIComponent(flowId)}/test-listen`, { method: 'POST', body: { nodeId } });
      if (run.current !== mine) return;
      setState({ phase: 'listening', since: Date.now() });
      const tick = async () => {
        if (run.current !== mine) return;
        try {
          const now = await api<TestListenState>(`/flows/${encodeURIComponent(flowId)}/test-listen/${listen.listenId}`);
          if (run.current !== mine) return;
          if (now.status === 'received' && now.executionId) {
            run.current += 1;
            setState({ phase: 'idle' });
            found.current(now.executionId);
            return;
          }
          if (now.status === 'expired') {
            setState({ phase: 'timeout' });
            return;
          }
        } catch {
          // A missed poll (network blip) is retried on the next tick.
        }
        timer.current = setTimeout(() => void tick(), LISTEN_POLL_MS);
      };
      timer.current = setTimeout(() => void tick(), LISTEN_POLL_MS);
    } catch (e) {
      if (run.current === mine) setState({ phase: 'error', message: plainMessage(e) });
    }
  }, []);

  return { state, start, stop };
}
