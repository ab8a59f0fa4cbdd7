import { createContext, useContext } from 'react';
import type { InboxListener } from './useInboxStream';

/** What the open thread shares with the inbox around it. */
export interface InboxContextValue {
  /** A channel's (credential kind's) title, e.g. "Telegram bot". */
  channelTitle(kind: string): string;
  /** Refreshes the list now (a reply or a pause changed a thread). */
  refreshList(): Promise<void>;
  /** Listens to the inbox's live stream; returns the unsubscribe. */
  subscribe(listener: InboxListener): () => void;
  /** The live stream is open (else the thread polls). */
  live: boolean;
}

export const InboxContext = createContext<InboxContextValue>({
  channelTitle: (kind) => kind, refreshList: async () => {}, subscribe: () => () => {}, live: false,
});

export const useInbox = () => useContext(InboxContext);
