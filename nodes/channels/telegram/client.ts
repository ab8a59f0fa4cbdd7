import { NodeError, NonRetryableError, type HttpClient, type HttpResponse, type Json } from '@switchyard/sdk';
import { providerError } from '../_shared/provider-error.js';
import { withRetryAfter } from '../_shared/retry-after.js';

/** Where the Bot API lives unless the credential says otherwise. */
export const TELEGRAM_API = 'https://api.telegram.org';

/** The header Telegram sends on every webhook call, holding the `secret_token` given to `setWebhook`. */
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** A bot token as BotFather gives it: `<bot id>:<secret>`. */
export const BOT_TOKEN_PATTERN = /^\d{1,20}:[A-Za-z0-9_-]{20,100}$/;

/** How long one Bot API call may take. Telegram answers in well under a second; 20 s covers a slow proxy. */
const CALL_TIMEOUT_MS = 20_000;

/** A Bot API call that Telegram (or a proxy in front of it) answered with `ok: false`. */
export interface TelegramFailure {
  status: number;
  errorCode: number;
  description: string;
  retryAfter?: number;
}

export type Answer = { ok: true; result: Json } | { ok: false; failure: TelegramFailure };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Message text with the token cut out: Telegram puts it in the URL path, and URLs end up in error messages. */
export function redactToken(text: string, token: string): string {
  return token.length > 0 ? text.split(token).join('<token>') : text;
}

/** The error Telegram's answer amounts to, as a step error (429/5xx retried, other 4xx not). */
export function telegramError(failure: TelegramFailure, code?: string): NodeError {
  return providerError({
    provider: 'Telegram',
    status: failure.status,
    providerCode: failure.errorCode,
    message: failure.description,
    retryAfterSeconds: failure.retryAfter,
  }, code);
}

/**
 * A small Bot API client over the SSRF-guarded `http` (so `baseUrl` is checked like any outbound
 * call). Parameters go as a JSON body, which every method accepts. The token never appears in an
 * error: a network or timeout error naming the URL is rebuilt without it.
 */
export class TelegramClient {
  private readonly base: string;

  constructor(
    private readonly http: HttpClient,
    private readonly token: string,
    baseUrl: string | undefined,
    private readonly signal: AbortSignal,
  ) {
    this.base = (baseUrl?.trim() || TELEGRAM_API).replace(/\/+$/, '');
  }

  /** One call, answered `ok` or not. Network failures throw (retryable unless the guard refused). */
  async attempt(method: string, params: Record<string, Json | undefined> = {}): Promise<Answer> {
    let response: HttpResponse;
    try {
      response = await this.http.request({
        url: `${this.base}/bot${this.token}/${method}`,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
        timeoutMs: CALL_TIMEOUT_MS,
        maxBytes: 5_000_000,
        signal: this.signal,
      });
    } catch (error) {
      throw this.withoutToken(error);
    }
    return this.read(response);
  }

  /** Like {@link attempt}, waiting out 429s whose `retry_after` is short (up to 30 s) and trying again. */
  patient(method: string, params: Record<string, Json | undefined> = {}): Promise<Answer> {
    return withRetryAfter(
      () => this.attempt(method, params),
      (a) => (a.ok || a.failure.status !== 429 ? undefined : (a.failure.retryAfter ?? 1)),
      this.signal,
    );
  }

  /** Calls `method`, waits out short 429s, and returns `result` or throws the step error. */
  async call(method: string, params: Record<string, Json | undefined> = {}): Promise<Json> {
    const answer = await this.patient(method, params);
    if (answer.ok) return answer.result;
    throw telegramError(answer.failure);
  }

  private read(response: HttpResponse): Answer {
    let body: unknown;
    try {
      body = JSON.parse(response.text());
    } catch {
      body = undefined;
    }
    if (isObject(body) && body.ok === true && 'result' in body) return { ok: true, result: body.result as Json };
    if (isObject(body) && body.ok === false) {
      const parameters = isObject(body.parameters) ? body.parameters : {};
      const header = Number(response.headers['retry-after']);
      const retryAfter = typeof parameters.retry_after === 'number' ? parameters.retry_after : Number.isFinite(header) && header > 0 ? header : undefined;
      return {
        ok: false,
        failure: {
          status: response.status,
          errorCode: typeof body.error_code === 'number' ? body.error_code : response.status,
          description: redactToken(typeof body.description === 'string' ? body.description : `HTTP ${response.status}`, this.token),
          ...(retryAfter !== undefined ? { retryAfter } : {}),
        },
      };
    }
    // A proxy's error page or a server that is not the Bot API.
    const status = response.status >= 400 ? response.status : 502;
    return { ok: false, failure: { status, errorCode: response.status, description: `the Bot API at ${new URL(this.base).host} did not answer with Telegram's JSON (HTTP ${response.status})` } };
  }

  private withoutToken(error: unknown): unknown {
    if (!(error instanceof Error) || !error.message.includes(this.token)) return error;
    const message = redactToken(error.message, this.token);
    const code = error instanceof NodeError ? error.code : 'network_error';
    return error instanceof NonRetryableError ? new NonRetryableError(message, { code }) : new NodeError(message, { code });
  }
}
