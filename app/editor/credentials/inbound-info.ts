import type { CredentialDetail, InboundAccountInfo } from '../../../runtime/services/types.js';
import { api } from '../api';

/** `GET /api/credentials/:id`: accounts whose provider calls back also carry where it must deliver. */
export type CredentialWithInbound = CredentialDetail & Partial<InboundAccountInfo>;

/** The credential, with its callback URL (and verify token) when its provider calls back. */
export function loadCredential(id: string, signal?: AbortSignal): Promise<CredentialWithInbound> {
  return api<CredentialWithInbound>(`/credentials/${encodeURIComponent(id)}`, { signal });
}
