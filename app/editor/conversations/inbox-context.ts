import { createContext, useContext } from 'react';

/** What the open thread shares with the inbox around it. */
export interface InboxContextValue {
  /** A channel's (credential kind's) title, e.g. "Telegram bot". */
  channelTitle(kind: string): string;
  /** Refreshes the list now (a reply or a pause changed a thread). */
  refreshList(): Promise<void>;
}

export const InboxContext = createContext<InboxContextValue>({ channelTitle: (kind) => kind, refreshList: async () => {} });

export const useInbox = () => useContext(InboxContext);
