/**
 * Messages between the pool and a host process (host.mjs). The pool sends arrays of requests (all
 * calls made in one tick travel in one IPC message); the host answers in the order received, in
 * arrays of replies it holds for at most 2 ms, so the oldest unanswered request is (within that)
 * the one running. Per-message cost dominates small calls; batching halves it both ways.
 */
export type HostRequest =
  | { id: number; op: 'code'; key: string; source: string; input: string; timeoutMs: number }
  | { id: number; op: 'eval'; expressions: string[]; input: string; timeoutMs: number };

/** `payload` is JSON text built inside the isolate (see realm.mjs for its two shapes). */
export type HostReply =
  | { id: number; ok: true; payload: string }
  | { id: number; ok: false; code: string; message: string; index?: number };

export type HostMessage = HostReply[] | { type: 'ready'; ms: number };

export function isReady(message: HostMessage): message is { type: 'ready'; ms: number } {
  return !Array.isArray(message) && message.type === 'ready';
}
