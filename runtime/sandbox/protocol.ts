/**
 * Messages between the pool and a host process (host.mjs). The pool sends arrays of requests (all
 * calls made in one tick travel in one IPC message); the host answers each request on its own, in
 * the order received, so the oldest unanswered request is always the one running.
 */
export type HostRequest =
  | { id: number; op: 'code'; key: string; source: string; input: string; timeoutMs: number }
  | { id: number; op: 'eval'; expressions: string[]; input: string; timeoutMs: number };

/** `payload` is JSON text built inside the isolate (see realm.mjs for its two shapes). */
export type HostReply =
  | { id: number; ok: true; payload: string }
  | { id: number; ok: false; code: string; message: string; index?: number };

export type HostMessage = HostReply | { type: 'ready'; ms: number };

export function isReady(message: HostMessage): message is { type: 'ready'; ms: number } {
  return 'type' in message && message.type === 'ready';
}
