import { useCallback, useEffect, useRef, useState } from 'react';
import type { ExecutionSummary } from '../../../runtime/services/types.js';
import { api, plainMessage } from '../api';

export type ListenState =
  | { phase: 'idle' }
  | { phase: 'listening'; since: number }
  | { phase: 'timeout' }
  | { phase: 'error'; message: string };

export const LISTEN_POLL_MS = 1000;
export const LISTEN_FOR_MS = 120_000;

/**
 * Waits for the next execution of a flow (a real call to its webhook): remembers the newest
 * execution id when it starts, then asks `GET /api/executions?flowId=&limit=1` every second until
 * another id shows up, and hands that id over. Gives up after two minutes.
 */
export function useWebhookListener(onExecution: (executionId: string) => void) {
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

  const start = useCallback(async (flowId: string) => {
    const mine = ++run.current;
    clearTimeout(timer.current);
    const latest = async () => (await api<ExecutionSummary[]>(`/executions?flowId=${encodeURIComponent(flowId)}&limit=1`))[0]?.id;
    try {
      // "Listening" only once the newest execution before it is known: a call after that counts.
      const baseline = await latest();
      if (run.current !== mine) return;
      const since = Date.now();
      setState({ phase: 'listening', since });
      const tick = async () => {
        if (run.current !== mine) return;
        if (Date.now() - since > LISTEN_FOR_MS) { setState({ phase: 'timeout' }); return; }
        try {
          const id = await latest();
          if (run.current !== mine) return;
          if (id && id !== baseline) {
            run.current += 1;
            setState({ phase: 'idle' });
            found.current(id);
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
