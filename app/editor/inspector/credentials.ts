import { useCallback, useEffect, useState } from 'react';
import type { CredentialKindEntry, CredentialSummary } from '../../../runtime/services/types.js';
import { api } from '../api';

/** Saved credentials and the kinds there are, loaded once per page; `refresh` after creating one. */
export function useCredentials() {
  const [credentials, setCredentials] = useState<CredentialSummary[]>([]);
  const [kinds, setKinds] = useState<CredentialKindEntry[]>([]);
  const refresh = useCallback(async () => {
    const [list, kindList] = await Promise.all([api<CredentialSummary[]>('/credentials'), api<CredentialKindEntry[]>('/credential-kinds')]);
    setCredentials(list);
    setKinds(kindList);
  }, []);
  useEffect(() => { void refresh().catch(() => {}); }, [refresh]);
  return { credentials, kinds, refresh };
}
