import { createContext, useContext } from 'react';
import type { LedgerPayment } from '../../../runtime/index.js';

/** What the open payment shares with the list around it. */
export interface LedgerContextValue {
  /** The rows the list shows now (an open payment links its related order, link or refund through them). */
  payments: LedgerPayment[];
  /** A flow's name, or "Deleted flow". */
  flowName(id: string): string;
  /** The list's filters (`?status=…`), kept when another payment opens. */
  search: string;
  /** Refreshes the list now (a refund changed a payment). */
  refreshList(): Promise<void>;
}

export const LedgerContext = createContext<LedgerContextValue>({ payments: [], flowName: (id) => id, search: '', refreshList: async () => {} });

export const useLedger = () => useContext(LedgerContext);
