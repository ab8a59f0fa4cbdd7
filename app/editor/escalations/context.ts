import { createContext, useContext } from 'react';

/** What the open escalation needs from the inbox around it. */
export const EscalationsContext = createContext<{ refreshList(): Promise<void> }>({ refreshList: async () => {} });

export function useEscalations() {
  return useContext(EscalationsContext);
}
