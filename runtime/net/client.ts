import http from 'node:http';
import https from 'node:https';
import { NodeError, NonRetryableError, type HttpClient, type HttpRequest, type HttpResponse, type Json } from '@switchyard/sdk';
import { AllowList, checkDestination, systemResolver, type Resolver } from './guard.js';
import { exchange, type RawResponse } from './transport.js';

/** Options of {@link createHttpClient}. */
export interface HttpClientOptions {
  /** Hosts (exact names), IPs and CIDRs (v4/v6) allowed despite the guard; usually `config.outboundAllow`. Default: none. */
  allow?: readonly string[];
  /** Per-request timeout when the request sets none. Default: 30 000 ms. */
  defaultTimeoutMs?: number;
  /** Largest response body when the request sets no `maxBytes`. Default: 10 MiB. */
  maxBytes?: number;
  /** Redirects followed when the request sets no `maxRedirects`. Default: 5. */
  maxRedirects?: number;
  /** Hostname resolver; tests pass one that lies. Default: the system resolver (dns.lookup, all addresses). */
  resolve?: Resolver;
}

/**
 * The SDK request plus an abort signal. `HttpRequest` in `@switchyard/sdk` has no `signal` yet; a node
 * passes `ctx.signal` here (structurally compatible), and the runtime may bind it per step.
 */
export interface GuardedHttpRequest extends HttpRequest {
  /** Aborts the request (and any redirect hop); its reason is what the request rejects with. Default: none. */
  signal?: AbortSignal;
}

export interface GuardedHttpClient extends HttpClient {
  request(request: GuardedHttpRequest): Promise<HttpResponse>;
  checkHost(host: string, signal?: AbortSignal): Promise<string[]>;
  /** Closes the client's idle keep-alive sockets. */
  close(): void;
}

const redirectStatuses = new Set([301, 302, 303, 307, 308]);
/** Headers that must not follow a redirect to another origin: they authenticate to the first one. */
const originBoundHeaders = ['authorization', 'proxy-authorization', 'cookie'];

function toResponse(raw: RawResponse, url: string): HttpResponse {
  let text: string | undefined;
  const decode = () => (text ??= new TextDecoder().decode(raw.body));
  return {
    status: raw.status,
    headers: raw.headers,
    url,
    body: raw.body,
    text: decode,
    json(): Json {
      try {
        return JSON.parse(decode()) as Json;
      } catch (error) {
        throw new NonRetryableError(`response from ${new URL(url).host} is not valid JSON`, { code: 'invalid_json', cause: error });
      }
    },
  };
}

function parseUrl(text: string, base?: URL): URL {
  try {
    return new URL(text, base);
  } catch {
    throw new NonRetryableError(`"${text}" is not a valid URL`, { code: 'invalid_url' });
  }
}

function lowerCaseHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

/** Rejects with the signal's reason as soon as it aborts, so a slow resolver cannot outlive the timeout. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/**
 * Outbound HTTP for nodes (`ctx.http`), guarded against SSRF: every URL, first and after each redirect,
 * is resolved and every address checked against loopback, private, link-local, CGNAT, multicast,
 * reserved, unique-local, embedded-IPv4 and metadata destinations; the socket is then pinned to the
 * checked addresses. Redirects are followed by hand (303, and 301/302 after POST, become GET).
 */
export function createHttpClient(options: HttpClientOptions = {}): GuardedHttpClient {
  const allow = new AllowList(options.allow ?? []);
  const resolve = options.resolve ?? systemResolver;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  const defaultMaxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const defaultMaxRedirects = options.maxRedirects ?? 5;
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

  async function follow(request: GuardedHttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const maxRedirects = request.maxRedirects ?? defaultMaxRedirects;
    const maxBytes = request.maxBytes ?? defaultMaxBytes;
    let url = parseUrl(request.url);
    let method = (request.method ?? 'GET').toUpperCase();
    const headers = lowerCaseHeaders(request.headers);
    let body = typeof request.body === 'string' ? new TextEncoder().encode(request.body) : request.body;
    for (let hop = 0; ; hop++) {
      const addresses = await raceAbort(checkDestination(url, allow, resolve), signal);
      const raw = await exchange({ url, method, headers, body, addresses, maxBytes, signal, agents });
      const location = raw.headers.location;
      // maxRedirects 0 means "do not follow": the caller gets the 3xx itself.
      if (!redirectStatuses.has(raw.status) || !location || maxRedirects === 0) return toResponse(raw, url.href);
      if (hop >= maxRedirects) {
        throw new NonRetryableError(`more than ${maxRedirects} redirects, last to ${location}`, { code: 'too_many_redirects' });
      }
      const next = parseUrl(location, url);
      if ((raw.status === 303 && method !== 'HEAD') || ((raw.status === 301 || raw.status === 302) && method === 'POST')) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
        delete headers['content-length'];
      }
      if (next.origin !== url.origin) for (const name of originBoundHeaders) delete headers[name];
      url = next;
    }
  }

  return {
    async request(request) {
      const timeoutMs = request.timeoutMs ?? defaultTimeoutMs;
      const controller = new AbortController();
      const timer = setTimeout(() => {
        controller.abort(new NodeError(`request to ${request.url} timed out after ${timeoutMs} ms`, { code: 'timeout' }));
      }, timeoutMs);
      const outer = request.signal;
      const onOuterAbort = () => {
        const reason: unknown = outer?.reason;
        controller.abort(reason instanceof Error ? reason : new NodeError('request aborted', { code: 'aborted' }));
      };
      if (outer?.aborted) onOuterAbort();
      else outer?.addEventListener('abort', onOuterAbort, { once: true });
      try {
        return await follow(request, controller.signal);
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener('abort', onOuterAbort);
      }
    },
    async checkHost(host, signal) {
      // A bare IPv6 literal needs brackets to be read as a URL's host.
      const url = parseUrl(`http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}/`);
      const check = checkDestination(url, allow, resolve);
      const addresses = await (signal ? raceAbort(check, signal) : check);
      return addresses.map((a) => a.address);
    },
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
