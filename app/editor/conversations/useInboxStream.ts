import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConversationChange } from '../../../runtime/services/types.js';

/** What the stream tells its listeners: a change, or that it (re)connected and anything may have been missed. */
export type InboxSignal = { type: 'change'; change: ConversationChange } | { type: 'ready'; reconnected: boolean };
export type InboxListener = (signal: InboxSignal) => void;

/** First wait before reopening a stream the browser gave up on; doubles up to {@link MAX_RETRY_MS}. */
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

/**
 * The inbox's one live connection (`/api/conversations/events`, Server-Sent Events), shared by
 * the list and the open thread. `connected` is true while the stream is open; the pages poll
 * only while it is not. EventSource reconnects a dropped stream by itself (the server's `retry`);
 * one the server refused (a 401, a restart answering 502) it gives up on, so that one is reopened
 * here with a growing pause. Every (re)connection says `ready`: listeners refetch, since changes
 * made while the stream was down were not sent.
 */
export function useInboxStream() {
  const listeners = useRef(new Set<InboxListener>());
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    const emit = (signal: InboxSignal) => { for (const listener of listeners.current) listener(signal); };
    let source: EventSource | undefined;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = FIRST_RETRY_MS;
    let opened = false;
    let stopped = false;
    const open = () => {
      source = new EventSource('/api/conversations/events');
      source.addEventListener('ready', () => {
        delay = FIRST_RETRY_MS;
        setConnected(true);
        emit({ type: 'ready', reconnected: opened });
        opened = true;
      });
      source.onmessage = (e: MessageEvent<string>) => {
        try {
          emit({ type: 'change', change: JSON.parse(e.data) as ConversationChange });
        } catch {
          // A garbled message: the next one, or the fallback poll, brings the page up to date.
        }
      };
      source.onerror = () => {
        setConnected(false);
        if (stopped || source?.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(open, delay);
        delay = Math.min(delay * 2, MAX_RETRY_MS);
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
      setConnected(false);
    };
  }, []);

  const subscribe = useCallback((listener: InboxListener) => {
    listeners.current.add(listener);
    return () => { listeners.current.delete(listener); };
  }, []);
  return { connected, subscribe };
}

/**
 * Calls `reload` shortly after a signal `wants` (a change of interest, or a reconnection),
 * once for the signals that arrive meanwhile: the server already batches per ~100 ms, and a reply, its status and the
 * read that follows often come in a row.
 */
export function useReloadOn(subscribe: (listener: InboxListener) => () => void, wants: (signal: InboxSignal) => boolean, reload: () => unknown, delayMs = 150) {
  const latest = useRef({ wants, reload });
  latest.current = { wants, reload };
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const unsubscribe = subscribe((signal) => {
      // A reload already waiting will read this change too; rescheduling it could starve it in a busy inbox.
      if (timer !== undefined || !latest.current.wants(signal)) return;
      timer = setTimeout(() => {
        timer = undefined;
        void latest.current.reload();
      }, delayMs);
    });
    return () => { clearTimeout(timer); unsubscribe(); };
  }, [subscribe, delayMs]);
}
