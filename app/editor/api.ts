import type { Problem } from '../../runtime/errors.js';

export type { Problem };

/** An error answer of the JSON API (`{"error":{"code","message","details"}}`), kept whole for the UI. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(readonly status: number, readonly code: string, message: string, readonly details: unknown[] = []) {
    super(message);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Calls `/api/...` with the session cookie. JSON in, JSON out; a non-2xx answer throws an
 * {@link ApiError}; a 401 sends the browser to the sign-in page (the session ran out).
 */
export async function api<T = unknown>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const response = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    headers: init.body === undefined ? {} : { 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
    credentials: 'same-origin',
    signal: init.signal,
  });
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (a proxy error page): fall through to a generic message.
  }
  if (!response.ok) {
    const error = isRecord(data) && isRecord(data.error) ? data.error : {};
    const message = typeof error.message === 'string' ? error.message : `the server answered ${response.status}`;
    const code = typeof error.code === 'string' ? error.code : 'http_error';
    if (response.status === 401 && typeof window !== 'undefined' && !path.startsWith('/auth/')) {
      window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname)}`);
    }
    throw new ApiError(response.status, code, message, Array.isArray(error.details) ? error.details : []);
  }
  return data as T;
}

/** Validation problems carried by an error (flow documents name each one with its node id). */
export function problemsOf(error: unknown): Problem[] {
  if (!(error instanceof ApiError)) return [];
  return error.details.filter((d): d is Problem => isRecord(d) && typeof d.message === 'string');
}

/** The error in plain words for a banner: first letter upper-case, a network failure explained. */
export function plainMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 403) return 'The server refused this request (it did not come from this page). Reload and try again.';
    if (error.status === 429) return 'Too many attempts. Wait a minute and try again.';
    return capitalize(error.message);
  }
  if (error instanceof TypeError) return 'Could not reach Switchyard. Check that it is running and try again.';
  return error instanceof Error ? capitalize(error.message) : 'Something went wrong.';
}

function capitalize(text: string): string {
  return text ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/** "3 min ago"-style time for lists; full date after a week. */
export function timeAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const ms = now - new Date(iso).getTime();
  if (Number.isNaN(ms)) return '—';
  const s = Math.round(ms / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  if (s < 7 * 86_400) return `${Math.round(s / 86_400)} d ago`;
  return new Date(iso).toLocaleDateString();
}

/** Stands in for this site's origin while a destination is resolved. */
const SAME_SITE = 'http://switchyard.invalid';

/**
 * Only a path on this site may be a post-sign-in destination (no open redirect). Resolved the way
 * a browser resolves it, because browsers read `/\evil.com` and `/<tab>/evil.com` as `//evil.com`.
 */
export function safeNext(value: string | null): string {
  if (!value?.startsWith('/')) return '/flows';
  const url = new URL(value, SAME_SITE);
  return url.origin === SAME_SITE ? `${url.pathname}${url.search}${url.hash}` : '/flows';
}
