import OpenAI from 'openai';
import { NonRetryableError, type CredentialValue, type HttpClient } from '@switchyard/sdk';
import { AI_PROVIDER_KIND, PRESETS, PRESET_NAMES, type Preset } from './presets.js';

/** Where one AI provider credential points: everything the client needs, the key kept out of every record. */
export interface AiEndpoint {
  /** The credential id (recorded on attempts; never the key). */
  credentialId?: string;
  preset: Preset;
  /** Without a trailing slash, e.g. `https://api.groq.com/openai/v1`. */
  baseUrl: string;
  /** Absent for local servers that take none (Ollama, llama.cpp). */
  apiKey?: string;
}

/** Reads an `ai-provider` credential; a missing base URL takes the preset's. */
export function endpointFromCredential(value: CredentialValue): AiEndpoint {
  if (value.kind !== AI_PROVIDER_KIND) throw new NonRetryableError(`credential kind "${value.kind}" is not an AI provider`, { code: 'invalid_credential' });
  const preset = (PRESET_NAMES as readonly string[]).includes(value.fields.preset ?? '') ? (value.fields.preset as Preset) : 'custom';
  const baseUrl = (value.fields.baseUrl?.trim() || PRESETS[preset].baseUrl).replace(/\/+$/, '');
  if (!baseUrl) throw new NonRetryableError('the AI provider credential has no base URL: set one for "Any OpenAI-compatible server"', { code: 'invalid_credential' });
  const apiKey = value.fields.apiKey?.trim() || undefined;
  return { ...(value.id ? { credentialId: value.id } : {}), preset, baseUrl, ...(apiKey ? { apiKey } : {}) };
}

/** The host an endpoint talks to, for attempt records and messages. */
export function endpointHost(endpoint: AiEndpoint): string {
  try {
    return new URL(endpoint.baseUrl).host;
  } catch {
    return endpoint.baseUrl;
  }
}

type Fetch = NonNullable<ConstructorParameters<typeof OpenAI>[0]>['fetch'];

function requestUrl(input: string | URL | Request): string {
  if (typeof input === 'string') return input;
  return input instanceof URL ? input.href : input.url;
}

/**
 * A `fetch` for the SDK built on the runtime's SSRF-guarded client, so a provider's base URL (and
 * every redirect) passes the outbound guard like any node's HTTP. Bodies are buffered: the SDK sends
 * JSON strings, and a streamed answer is parsed from the buffered bytes just the same.
 */
export function guardedFetch(http: HttpClient, timeoutMs: number): Fetch {
  return async (input, init) => {
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => { headers[name] = value; });
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      throw new TypeError('the AI client only sends string or byte bodies');
    }
    const response = await http.request({
      url: requestUrl(input), method: init?.method ?? 'GET', headers,
      ...(body === undefined || body === null ? {} : { body }),
      // The SDK's own timeout aborts first and names it a timeout; this is only a backstop.
      timeoutMs: timeoutMs + 1000,
      ...(init?.signal ? { signal: init.signal } : {}),
    });
    const empty = response.status === 204 || response.status === 304 || response.body.length === 0;
    return new Response(empty ? null : new Uint8Array(response.body), { status: response.status, headers: response.headers });
  };
}

/**
 * An official `openai` SDK client for one endpoint: SDK retries off (the fallback chain and the
 * runtime's step retries decide), one request timeout, HTTP through the outbound guard.
 */
export function createAiClient(endpoint: AiEndpoint, http: HttpClient, timeoutMs: number): OpenAI {
  return new OpenAI({
    baseURL: endpoint.baseUrl,
    // The SDK refuses to start without a key; keyless local servers ignore the header.
    apiKey: endpoint.apiKey ?? 'no-key',
    maxRetries: 0,
    timeout: timeoutMs,
    fetch: guardedFetch(http, timeoutMs),
    logLevel: 'off',
  });
}

/** Replaces the endpoint's key wherever it appears in a provider's message (some echo part of it back). */
export function withoutKey(text: string, endpoint: AiEndpoint): string {
  const key = endpoint.apiKey;
  return key && key.length >= 4 ? text.split(key).join('[redacted]') : text;
}
