/**
 * Messages between the pool and a host process (host.mjs). The pool sends arrays of requests (all
 * calls made in one tick travel in one IPC message); the host answers in the order received, in
 * arrays of replies it holds for at most 2 ms, so the oldest unanswered request is (within that)
 * the one running. Per-message cost dominates small calls; batching halves it both ways.
 */
export type HostRequest =
  | { id: number; op: 'code'; key: string; source: string; input: string; timeoutMs: number }
  | { id: number; op: 'eval'; expressions: string[]; input: string; timeoutMs: number }
  /**
   * A plugin node call. `bundle` is sent only the first time a host gets this `integrity`; the host
   * checks the hash before compiling. `timeoutMs` is CPU in the isolate; `wallMs` also counts the
   * time spent waiting for the worker's HTTP replies (the pool's guard uses it).
   */
  | { id: number; op: 'plugin'; integrity: string; bundle?: string; node: string; input: string; timeoutMs: number; wallMs: number };

/** A plugin asks the worker for an HTTP request (host → pool), JSON only. */
export interface PluginHttpRequest {
  id: number;
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  bodyBase64?: string;
  timeoutMs?: number;
  maxRedirects?: number;
  maxBytes?: number;
}

/** The worker's answer, as JSON text of {@link PluginHttpReply}. */
export type PluginHttpReply =
  | { ok: true; status: number; headers: Record<string, string>; url: string; text: string; base64: string }
  | { ok: false; code: string; message: string };

/** Pool → host messages other than request batches. */
export interface HttpReplyMessage { type: 'http-reply'; callId: number; requestId: number; reply: string }

/** `payload` is JSON text built inside the isolate (see realm.mjs for its two shapes). */
export type HostReply =
  | { id: number; ok: true; payload: string }
  | { id: number; ok: false; code: string; message: string; index?: number };

export type HostMessage = HostReply[] | { type: 'ready'; ms: number } | { type: 'http'; callId: number; request: PluginHttpRequest };

export function isReady(message: HostMessage): message is { type: 'ready'; ms: number } {
  return !Array.isArray(message) && message.type === 'ready';
}

/** Wall-clock budget of a request before the guard kills its host. */
export function wallBudgetMs(request: HostRequest): number {
  return request.op === 'plugin' ? Math.max(request.wallMs, request.timeoutMs) : request.timeoutMs;
}
