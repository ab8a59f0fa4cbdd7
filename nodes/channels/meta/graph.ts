import { isJsonObject, NodeError, NonRetryableError, type HttpClient, type HttpResponse, type Json, type JsonObject } from '@switchyard/sdk';
import { providerError } from '../_shared/provider-error.js';
import { withRetryAfter } from '../_shared/retry-after.js';

/** Production Graph API host; credentials may override it (proxies, local fakes). */
export const GRAPH_BASE_URL = 'https://graph.facebook.com';
/** The Graph API version calls go to unless a credential names another. */
export const GRAPH_VERSION = 'v21.0';
/** A Graph version is `v<major>.<minor>`. */
export const GRAPH_VERSION_PATTERN = /^v\d{1,3}\.\d{1,2}$/;

/** Where a Graph call goes and with which token. Never logged: `accessToken` is a secret. */
export interface GraphTarget {
  /** Default: {@link GRAPH_BASE_URL}. */
  baseUrl: string;
  /** Default: {@link GRAPH_VERSION}. */
  version: string;
  accessToken: string;
}

export interface GraphCall {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path after the version, e.g. `106540352242922/messages`. */
  path: string;
  /** Query parameters (Graph `fields`, `limit`, `after`). Default: none. */
  query?: Record<string, string>;
  /** A JSON body (POST). Default: none. */
  body?: JsonObject;
  signal: AbortSignal;
  /** Default: 30 000 ms. */
  timeoutMs?: number;
}

/** What Graph said when it refused a call (`{ error: { message, code, error_subcode, error_data } }`). */
export interface GraphFailure {
  status: number;
  code?: number;
  subcode?: number;
  message: string;
  /** `error_data.details` or `error_user_msg`: the human explanation, when Graph gives one. */
  details?: string;
  /** From the `Retry-After` header, when present. */
  retryAfterSeconds?: number;
}

/**
 * Graph codes that mean "too many calls, slow down": 4 (app), 17 (user), 32 (page), 613 (calls
 * within one hour), 80007 (WhatsApp business account), 130429 (Cloud API throughput), 131056
 * (too many messages to one recipient). They come with HTTP 400 as often as 429.
 */
const THROTTLING_CODES = new Set([4, 17, 32, 613, 80002, 80006, 80007, 130429, 131056]);
/** Graph rarely sends Retry-After with a throttling code; this is how long to wait then. */
const DEFAULT_THROTTLE_WAIT_SECONDS = 2;

export function graphUrl(target: GraphTarget, path: string, query?: Record<string, string>): string {
  const base = target.baseUrl.replace(/\/+$/, '');
  const search = query && Object.keys(query).length > 0 ? `?${new URLSearchParams(query).toString()}` : '';
  return `${base}/${target.version}/${path.replace(/^\/+/, '')}${search}`;
}

/** The failure in a Graph answer, or undefined for a 2xx. */
export function graphFailure(response: HttpResponse): GraphFailure | undefined {
  if (response.status >= 200 && response.status < 300) return undefined;
  let error: JsonObject | undefined;
  try {
    const body = JSON.parse(response.text()) as Json;
    if (isJsonObject(body) && isJsonObject(body.error)) error = body.error;
  } catch {
    // Not Graph's JSON (a proxy's HTML page): the status alone says what happened.
  }
  const retryAfter = Number(response.headers['retry-after']);
  const data = error && isJsonObject(error.error_data) ? error.error_data : undefined;
  const details = typeof data?.details === 'string' ? data.details : typeof error?.error_user_msg === 'string' ? error.error_user_msg : undefined;
  return {
    status: response.status,
    code: typeof error?.code === 'number' ? error.code : undefined,
    subcode: typeof error?.error_subcode === 'number' ? error.error_subcode : undefined,
    // Graph prefixes its messages with "(#code) ", which the step error already carries.
    message: typeof error?.message === 'string' ? error.message.replace(/^\(#\d+\)\s*/, '') : `HTTP ${response.status}`,
    details,
    retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
  };
}

/** Seconds to wait before trying again, when the failure is a rate limit. */
export function throttleWait(failure: GraphFailure | undefined): number | undefined {
  if (!failure) return undefined;
  const throttled = failure.status === 429 || (failure.code !== undefined && THROTTLING_CODES.has(failure.code));
  if (!throttled) return undefined;
  return failure.retryAfterSeconds ?? DEFAULT_THROTTLE_WAIT_SECONDS;
}

/**
 * Calls Graph with the target's token (as a Bearer header, never in the URL, so it stays out of any
 * logged address). Rate limits are waited out in place when short (`withRetryAfter`); the answer is
 * returned as is, failures included: callers turn them into step errors with {@link graphStepError}.
 */
export async function callGraph(http: HttpClient, target: GraphTarget, call: GraphCall): Promise<HttpResponse> {
  const send = () => http.request({
    url: graphUrl(target, call.path, call.query),
    method: call.method,
    headers: {
      authorization: `Bearer ${target.accessToken}`,
      accept: 'application/json',
      ...(call.body ? { 'content-type': 'application/json' } : {}),
    },
    body: call.body ? JSON.stringify(call.body) : undefined,
    timeoutMs: call.timeoutMs ?? 30_000,
    maxRedirects: 0,
    signal: call.signal,
  });
  return withRetryAfter(send, (response) => throttleWait(graphFailure(response)), call.signal);
}

/** The JSON object of a successful answer (a step error when Graph answered something else). */
export function graphBody(response: HttpResponse, provider: string): JsonObject {
  const body = response.json();
  if (!isJsonObject(body)) throw new NonRetryableError(`${provider}: the Graph API answered with ${JSON.stringify(body).slice(0, 100)} instead of an object`, { code: 'provider_bad_answer' });
  return body;
}

/**
 * A Graph failure as a step error: the provider, Graph's code and message, and `hint` (what to do
 * about it) when the caller knows one. A rate limit that outlasted the inline waits is retryable
 * whatever the HTTP status (Graph throttles with 400 too); an expired token (190) is not.
 */
export function graphStepError(provider: string, failure: GraphFailure, hint?: string, code?: string): NodeError {
  const message = [failure.message, failure.details].filter((part) => part && part.length > 0).join(': ') + (hint ? ` — ${hint}` : '');
  const base = { provider, status: failure.status, providerCode: failure.code, message, retryAfterSeconds: failure.retryAfterSeconds };
  if (throttleWait(failure) !== undefined) {
    return new NodeError(`${provider} error ${failure.code ?? failure.status} (HTTP ${failure.status}): ${message}`, { code: 'rate_limited', details: base });
  }
  if (failure.code === 190) {
    return providerError({ ...base, message: `${message} — the access token was refused (expired or revoked); update the credential` }, 'invalid_token');
  }
  return providerError(failure.subcode === undefined ? base : { ...base, message: `${message} (subcode ${failure.subcode})` }, code);
}
