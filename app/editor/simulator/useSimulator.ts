import { useCallback, useEffect, useRef, useState } from 'react';
import type { SimulatorSent, SimulatorThread } from '../../../runtime/services/types.js';
import { api, plainMessage } from '../api';

/** How often the open simulator asks for the thread (the flow's replies arrive while it runs). */
export const SIMULATOR_POLL_MS = 700;

/** The editor keeps one simulator session per flow in the browser, so reopening the panel shows the same chat. */
function storageKey(flowId: string): string {
  return `switchyard:simulator:${flowId}`;
}

function newSessionId(): string {
  return crypto.randomUUID();
}

function storedSession(flowId: string): string {
  try {
    const found = window.localStorage.getItem(storageKey(flowId));
    if (found && /^[A-Za-z0-9_-]{8,64}$/.test(found)) return found;
    const made = newSessionId();
    window.localStorage.setItem(storageKey(flowId), made);
    return made;
  } catch {
    // Storage refused (private mode): the session lasts as long as the page.
    return newSessionId();
  }
}

export interface SimulatorState {
  thread?: SimulatorThread;
  error?: string;
  sending: boolean;
}

/**
 * The chat simulator's data (decision 031): the session's thread, polled while the panel is open;
 * `send` saves unsaved changes first (the simulator runs the saved draft) and posts the text or the
 * pressed button; `restart` starts a new session (a new simulated contact). `onExecution` hears of
 * each execution a sent message started, so the canvas can follow it.
 */
export function useSimulator(flowId: string | undefined, prepare: () => Promise<string | undefined>, onExecution: (executionId: string) => void) {
  const [sessionId, setSessionId] = useState<string>();
  const [state, setState] = useState<SimulatorState>({ sending: false });
  const followed = useRef(new Set<string>());
  const awaitingRun = useRef(false);
  const heard = useRef(onExecution);
  heard.current = onExecution;

  useEffect(() => {
    if (flowId) setSessionId(storedSession(flowId));
  }, [flowId]);

  const refresh = useCallback(async (id: string, session: string) => {
    try {
      const thread = await api<SimulatorThread>(`/flows/${encodeURIComponent(id)}/simulator/${encodeURIComponent(session)}`);
      setState((s) => ({ ...s, thread, error: s.sending ? s.error : undefined }));
      // The run a message of ours started: shown on the canvas once, as soon as one of its replies is in.
      const latest = [...thread.messages].reverse().find((m) => m.executionId)?.executionId;
      if (latest && awaitingRun.current && !followed.current.has(latest)) {
        awaitingRun.current = false;
        followed.current.add(latest);
        heard.current(latest);
      }
    } catch (e) {
      setState((s) => ({ ...s, error: plainMessage(e) }));
    }
  }, []);

  useEffect(() => {
    if (!flowId || !sessionId) return undefined;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout>;
    const tick = async () => {
      await refresh(flowId, sessionId);
      if (!stopped) timer = setTimeout(() => void tick(), SIMULATOR_POLL_MS);
    };
    void tick();
    return () => { stopped = true; clearTimeout(timer); };
  }, [flowId, sessionId, refresh]);

  const send = useCallback(async (message: { text: string; subject?: string } | { choiceId: string }) => {
    setState((s) => ({ ...s, sending: true, error: undefined }));
    try {
      const id = await prepare();
      if (!id) {
        setState((s) => ({ ...s, sending: false, error: 'Save the flow first: the simulator chats with its saved version.' }));
        return false;
      }
      const session = id === flowId && sessionId ? sessionId : storedSession(id);
      if (session !== sessionId) setSessionId(session);
      const known = new Set(state.thread?.messages.map((m) => m.executionId).filter((x): x is string => !!x));
      for (const x of known) followed.current.add(x);
      awaitingRun.current = true;
      await api<SimulatorSent>(`/flows/${encodeURIComponent(id)}/simulator/messages`, { method: 'POST', body: { sessionId: session, messageId: newSessionId(), ...message } });
      setState((s) => ({ ...s, sending: false }));
      await refresh(id, session);
      return true;
    } catch (e) {
      awaitingRun.current = false;
      setState((s) => ({ ...s, sending: false, error: plainMessage(e) }));
      return false;
    }
  }, [prepare, flowId, sessionId, state.thread, refresh]);

  const restart = useCallback(() => {
    if (!flowId) return;
    const made = newSessionId();
    try {
      window.localStorage.setItem(storageKey(flowId), made);
    } catch {
      // Kept in memory only.
    }
    followed.current.clear();
    setState({ sending: false });
    setSessionId(made);
  }, [flowId]);

  return { sessionId, ...state, send, restart };
}
