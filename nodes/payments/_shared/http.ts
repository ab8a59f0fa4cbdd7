import { AxiosError, AxiosHeaders, type AxiosAdapter, type InternalAxiosRequestConfig } from 'axios';
import type { HttpClient } from '@switchyard/sdk';

/**
 * An axios adapter that sends the official payment SDKs' requests through the runtime's
 * SSRF-guarded client (`ctx.http`), and moves them from the SDK's fixed host to the credential's
 * `baseUrl`. Both SDKs expose this as their own client configuration: Razorpay's axios instance
 * (`api.rq.defaults.adapter`) and PayPal's `unstable_httpClientOptions.adapter`. Nothing is patched.
 */
export interface GuardedAdapterOptions {
  http: HttpClient;
  /** The SDK's own API origins, e.g. `https://api.razorpay.com`. */
  hosts: readonly string[];
  /** Where to send instead, without a trailing slash. Default: the SDK's host (no rewrite). */
  baseUrl?: string;
  signal?: AbortSignal;
  /** Per request. Default: 30 000 ms. */
  timeoutMs?: number;
}

/** The adapter and the last transport failure (the Razorpay SDK turns it into a TypeError; we say what it was). */
export interface GuardedAdapter {
  adapter: AxiosAdapter;
  lastTransportError(): Error | undefined;
}

export function guardedAdapter(options: GuardedAdapterOptions): GuardedAdapter {
  let lastError: Error | undefined;
  const base = options.baseUrl?.replace(/\/+$/, '');
  const adapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    let url = new URL(buildUri(config)).toString();
    const host = options.hosts.find((h) => url.startsWith(h));
    if (base && host) url = base + url.slice(host.length);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(AxiosHeaders.from(config.headers).toJSON())) {
      if (value !== undefined && value !== null && typeof value !== 'boolean') headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    }
    if (config.auth) {
      headers.authorization = `Basic ${Buffer.from(`${config.auth.username}:${config.auth.password}`).toString('base64')}`;
    }
    let response;
    try {
      response = await options.http.request({
        url, method: (config.method ?? 'get').toUpperCase(), headers, body: bodyOf(config.data),
        timeoutMs: options.timeoutMs ?? 30_000, signal: options.signal, maxRedirects: 0,
      });
    } catch (error) {
      lastError = error instanceof Error ? error : new Error(String(error));
      throw lastError;
    }
    const answer = {
      data: response.text(), status: response.status, statusText: '', headers: response.headers, config, request: {},
    };
    if (!config.validateStatus || config.validateStatus(response.status)) return answer;
    throw new AxiosError(`Request failed with status code ${response.status}`,
      response.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE, config, answer.request, answer);
  };
  return { adapter, lastTransportError: () => lastError };
}

function bodyOf(data: unknown): string | Uint8Array | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string' || data instanceof Uint8Array) return data;
  if (data instanceof URLSearchParams) return data.toString();
  return JSON.stringify(data);
}

/** The request's full URL with its query, as axios itself would build it. */
function buildUri(config: InternalAxiosRequestConfig): string {
  const path = config.url ?? '';
  const full = /^https?:\/\//i.test(path) ? path : `${(config.baseURL ?? '').replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
  const url = new URL(full);
  appendParams(url.searchParams, '', config.params);
  return url.toString();
}

/** Axios's bracket style (`expand[]=x`), enough for the SDKs' list and fetch calls. */
function appendParams(search: URLSearchParams, prefix: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) search.append(`${prefix}[]`, String(item));
  } else if (typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, inner] of Object.entries(value)) appendParams(search, prefix ? `${prefix}[${key}]` : key, inner);
  } else {
    search.append(prefix, value instanceof Date ? value.toISOString() : String(value as string | number | boolean));
  }
}

