import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import type Response from 'twilio/lib/http/response';
import type { HttpClient, HttpResponse } from '@switchyard/sdk';
import { NodeError, NonRetryableError } from '@switchyard/sdk';
import { providerError } from '../_shared/provider-error.js';
import { withRetryAfter } from '../_shared/retry-after.js';

/** Where Twilio's REST API lives unless the credential says otherwise. */
export const TWILIO_API = 'https://api.twilio.com';

/** An Account SID as the console shows it. */
export const ACCOUNT_SID_PATTERN = /^AC[0-9a-fA-F]{32}$/;

/** How long one REST call may take. */
const CALL_TIMEOUT_MS = 20_000;

/** The fields a Twilio credential holds (as stored: strings). */
export interface TwilioFields {
  accountSid: string;
  authToken: string;
  baseUrl?: string;
}

/** Form or query encoding as the SDK's own client does it (qs with `arrayFormat: 'repeat'`). */
function encodeForm(values: unknown): string {
  const form = new URLSearchParams();
  if (typeof values !== 'object' || values === null) return '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) form.append(name, String(item));
  }
  return form.toString();
}

/**
 * The official SDK's `httpClient` extension point, sending through the runtime's guarded `ctx.http`
 * instead of the SDK's own axios: the outbound guard checks every call (Twilio hosts in production,
 * the credential's `baseUrl` otherwise), the step's signal aborts it, and with a `baseUrl` every
 * Twilio host (api, verify, …) is rewritten to it, so a proxy or a local fake routes by path.
 */
export class GuardedRequestClient extends twilio.RequestClient {
  /** Headers of the last answer (the SDK's errors drop them, and 429's Retry-After lives there). */
  lastHeaders: Record<string, string> = {};

  constructor(
    private readonly http: HttpClient,
    private readonly baseUrl: string | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    super({ timeout: CALL_TIMEOUT_MS });
  }

  override async request<TData>(request: RequestClient.RequestOptions<TData>): Promise<Response<TData>> {
    const target = new URL(request.uri);
    let url = this.baseUrl ? `${this.baseUrl.replace(/\/+$/, '')}${target.pathname}${target.search}` : target.href;
    const query = encodeForm(request.params);
    if (query) url += (url.includes('?') ? '&' : '?') + query;
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers ?? {})) if (typeof value === 'string') headers[name] = value;
    if (request.username && request.password) {
      headers.Authorization = `Basic ${Buffer.from(`${request.username}:${request.password}`).toString('base64')}`;
    } else if (request.authStrategy) {
      headers.Authorization = await request.authStrategy.getAuthString();
    }
    let body: string | undefined;
    if (request.data) {
      const json = /application\/json/i.test(headers['Content-Type'] ?? '');
      body = json ? JSON.stringify(request.data) : encodeForm(request.data);
    }
    const response: HttpResponse = await this.http.request({
      url, method: request.method.toUpperCase(), headers, body,
      timeoutMs: request.timeout ?? CALL_TIMEOUT_MS, maxRedirects: request.allowRedirects ? 10 : 0, signal: this.signal,
    });
    this.lastHeaders = response.headers;
    // The SDK parses a string body itself (JSON.parse in Version), as it does for its own client's answers.
    const text: unknown = response.text();
    return { statusCode: response.status, body: text as TData, headers: response.headers, toString: () => `HTTP ${response.status}` };
  }
}

/** A Twilio SDK client for one credential, its calls going through `http`. */
export function createTwilioClient(fields: TwilioFields, http: HttpClient, signal?: AbortSignal): { client: twilio.Twilio; transport: GuardedRequestClient } {
  const transport = new GuardedRequestClient(http, fields.baseUrl?.trim() || undefined, signal);
  const client = twilio(fields.accountSid, fields.authToken, { httpClient: transport, accountSid: fields.accountSid });
  return { client, transport };
}

/** What the SDK throws when Twilio answers with an error (`RestException`, or RFC 9457 `TwilioServiceException`). */
interface TwilioRestError { status: number; code?: number | string; message: string; moreInfo?: string }

function isRestError(error: unknown): error is TwilioRestError {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

/** Twilio's own error code of a failed call, when the SDK gives one. */
export function twilioCode(error: unknown): number | undefined {
  if (!isRestError(error) || error.code === undefined) return undefined;
  const code = Number(error.code);
  return Number.isFinite(code) ? code : undefined;
}

/**
 * A failed SDK call as a step error carrying Twilio's code and message (429 and 5xx retried, other 4xx
 * not). Anything else (network, outbound guard) is passed on as it is.
 */
export function twilioError(error: unknown, transport: GuardedRequestClient): Error {
  if (!isRestError(error)) return error instanceof Error ? error : new NodeError(String(error));
  const retryAfter = Number(transport.lastHeaders['retry-after']);
  const failure = {
    provider: 'Twilio',
    status: error.status,
    providerCode: twilioCode(error),
    message: error.message || `HTTP ${error.status}`,
    retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
  };
  const converted = providerError(failure);
  // Verify answers 429 for "too many attempts" (60202, 60203): a limit on the contact, not on us.
  if (isRateLimit(error)) return converted;
  return error.status === 429 ? new NonRetryableError(converted.message, { code: converted.code, details: failure }) : converted;
}

/** Twilio's own rate limit (20429, or a bare 429), worth waiting out; Verify's attempt limits also answer 429 and are not. */
function isRateLimit(error: unknown): boolean {
  if (!isRestError(error) || error.status !== 429) return false;
  const code = twilioCode(error);
  return code === undefined || code === 20429;
}

/**
 * Runs one SDK call, waiting out short 429s (Twilio 20429, `Retry-After`) in place, and turns a
 * failure into a step error.
 */
export async function callTwilio<T>(transport: GuardedRequestClient, call: () => Promise<T>, signal: AbortSignal): Promise<T> {
  type Outcome = { ok: true; value: T } | { ok: false; error: unknown };
  const outcome = await withRetryAfter<Outcome>(
    () => call().then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error })),
    (result) => {
      if (result.ok || !isRateLimit(result.error)) return undefined;
      const seconds = Number(transport.lastHeaders['retry-after']);
      return Number.isFinite(seconds) ? seconds : 1;
    },
    signal,
  );
  if (outcome.ok) return outcome.value;
  throw twilioError(outcome.error, transport);
}
