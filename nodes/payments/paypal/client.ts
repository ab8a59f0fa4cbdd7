import {
  ApiError, CheckoutPaymentIntent, Client, Environment, OrdersController, PaymentsController, type ApiResponse,
} from '@paypal/paypal-server-sdk';
import { isJsonObject, type HttpClient, type Json } from '@switchyard/sdk';
import { providerError } from '../_shared/errors.js';
import { guardedAdapter } from '../_shared/http.js';
import { checkProviderCurrency, exponentOf, formatMinor, type Money, type ProviderCurrencies } from '../_shared/money.js';

export const PAYPAL_LIVE = 'https://api-m.paypal.com';
export const PAYPAL_SANDBOX = 'https://api-m.sandbox.paypal.com';

/**
 * PayPal's currencies (https://developer.paypal.com/reference/currency-codes/). HUF and TWD have
 * cents in ISO 4217 but PayPal takes them in whole units only: an amount must be a multiple of 100.
 */
export const PAYPAL_CURRENCIES: ProviderCurrencies = {
  provider: 'PayPal',
  supported: new Set('AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS JPY MYR MXN TWD NZD NOK PHP PLN GBP SGD SEK CHF THB USD'.split(' ')),
  step: { HUF: 100, TWD: 100 },
};

/** PayPal's `{ currency_code, value }` value for an amount: "499.00", JPY "500", HUF "1000". */
export function paypalValue(money: Money): string {
  checkProviderCurrency(money, PAYPAL_CURRENCIES);
  const text = formatMinor(money.minor, money.currency);
  return money.currency === 'HUF' || money.currency === 'TWD' ? text.replace(/\.00$/, '') : text;
}

/** The credential's fields this client uses. */
export interface PayPalFields {
  clientId?: string;
  clientSecret?: string;
  /** Default: sandbox. */
  environment?: string;
  /** Default: the environment's API host. */
  baseUrl?: string;
}

/** A PayPal object as its API returned it (snake_case wire JSON). */
export type PayPalObject = { [key: string]: Json };

/**
 * The official `@paypal/paypal-server-sdk` (2.5, no retries of its own) pointed at the credential's
 * environment and `baseUrl` through its HTTP client options (`unstable_httpClientOptions.adapter`),
 * over the SSRF-guarded `ctx.http`. Every create and capture passes `PayPal-Request-Id`; failures carry
 * PayPal's issue code (`ORDER_NOT_APPROVED`, `REFUND_AMOUNT_EXCEEDED`, …).
 */
export class PayPalClient {
  private readonly sdk: Client;
  private readonly transport: ReturnType<typeof guardedAdapter>;
  readonly orders: OrdersController;
  readonly payments: PaymentsController;
  private readonly base: string;

  constructor(private readonly http: HttpClient, fields: PayPalFields, private readonly signal?: AbortSignal) {
    const live = fields.environment === 'live';
    this.base = fields.baseUrl?.trim().replace(/\/+$/, '') || (live ? PAYPAL_LIVE : PAYPAL_SANDBOX);
    this.transport = guardedAdapter({ http, hosts: [PAYPAL_LIVE, PAYPAL_SANDBOX], baseUrl: this.base, signal });
    this.sdk = new Client({
      environment: live ? Environment.Production : Environment.Sandbox,
      clientCredentialsAuthCredentials: { oAuthClientId: (fields.clientId ?? '').trim(), oAuthClientSecret: (fields.clientSecret ?? '').trim() },
      timeout: 30_000,
      unstable_httpClientOptions: { adapter: this.transport.adapter },
    });
    this.orders = new OrdersController(this.sdk);
    this.payments = new PaymentsController(this.sdk);
  }

  /** Runs one SDK call and returns PayPal's JSON as sent; a failure becomes a step error with PayPal's issue. */
  async call(run: (client: this) => Promise<ApiResponse<unknown>>): Promise<PayPalObject> {
    let response: ApiResponse<unknown>;
    try {
      response = await run(this);
    } catch (error) {
      throw this.failure(error);
    }
    return parseBody(response.body);
  }

  private failure(error: unknown) {
    if (error instanceof ApiError) {
      const body = typeof error.body === 'string' ? safeParse(error.body) : undefined;
      const detail = Array.isArray(body?.details) && isJsonObject(body.details[0]) ? body.details[0] : undefined;
      const issue = typeof detail?.issue === 'string' ? detail.issue : undefined;
      const name = typeof body?.name === 'string' ? body.name : typeof body?.error === 'string' ? body.error.toUpperCase() : 'UNKNOWN_ERROR';
      const message = [detail?.description, body?.message, body?.error_description].find((m): m is string => typeof m === 'string') ?? `HTTP ${error.statusCode}`;
      return providerError({ provider: 'paypal', status: error.statusCode, providerCode: issue ?? name, message, field: typeof detail?.field === 'string' ? detail.field : undefined });
    }
    const transport = this.transport.lastTransportError() ?? (error instanceof Error ? error : new Error(String(error)));
    if (transport.name === 'OutboundBlockedError') return transport;
    return providerError({ provider: 'paypal', status: 0, providerCode: 'UNREACHABLE', message: transport.message });
  }

  createOrder(money: Money, intent: 'CAPTURE' | 'AUTHORIZE', requestId: string, unit: { referenceId?: string; description?: string; customId?: string; invoiceId?: string }, context: { returnUrl?: string; cancelUrl?: string; brandName?: string }) {
    const value = paypalValue(money);
    return this.call((c) => c.orders.createOrder({
      paypalRequestId: requestId, prefer: 'return=representation',
      body: {
        intent: intent === 'CAPTURE' ? CheckoutPaymentIntent.Capture : CheckoutPaymentIntent.Authorize,
        purchaseUnits: [{ ...unit, amount: { currencyCode: money.currency, value } }],
        ...(context.returnUrl || context.cancelUrl || context.brandName ? { applicationContext: context } : {}),
      },
    }));
  }

  getOrder(id: string) {
    return this.call((c) => c.orders.getOrder({ id }));
  }

  captureOrder(id: string, requestId: string) {
    return this.call((c) => c.orders.captureOrder({ id, paypalRequestId: requestId, prefer: 'return=representation' }));
  }

  authorizeOrder(id: string, requestId: string) {
    return this.call((c) => c.orders.authorizeOrder({ id, paypalRequestId: requestId, prefer: 'return=representation' }));
  }

  captureAuthorization(authorizationId: string, requestId: string, money?: Money) {
    return this.call((c) => c.payments.captureAuthorizedPayment({
      authorizationId, paypalRequestId: requestId, prefer: 'return=representation',
      body: money ? { amount: { currencyCode: money.currency, value: paypalValue(money) }, finalCapture: true } : { finalCapture: true },
    }));
  }

  voidAuthorization(authorizationId: string, requestId: string) {
    return this.call((c) => c.payments.voidPayment({ authorizationId, paypalRequestId: requestId }));
  }

  refundCapture(captureId: string, requestId: string, money?: Money) {
    return this.call((c) => c.payments.refundCapturedPayment({
      captureId, paypalRequestId: requestId, prefer: 'return=representation',
      body: money ? { amount: { currencyCode: money.currency, value: paypalValue(money) } } : {},
    }));
  }

  /**
   * Asks PayPal whether a webhook delivery is genuine (POST /v1/notifications/verify-webhook-signature)
   * for `webhookId`, the id configured on the credential, never one read from the event. The event is
   * passed as the exact bytes received. Throws when PayPal cannot be asked.
   */
  async verifyWebhook(headers: Readonly<Record<string, string | undefined>>, rawBody: Uint8Array, webhookId: string): Promise<boolean> {
    let token: string;
    try {
      token = (await this.sdk.clientCredentialsAuthManager.fetchToken()).accessToken;
    } catch (error) {
      throw this.failure(error);
    }
    const field = (name: string) => JSON.stringify(headers[name] ?? '');
    const body = `{"auth_algo":${field('paypal-auth-algo')},"cert_url":${field('paypal-cert-url')},"transmission_id":${field('paypal-transmission-id')},` +
      `"transmission_sig":${field('paypal-transmission-sig')},"transmission_time":${field('paypal-transmission-time')},` +
      `"webhook_id":${JSON.stringify(webhookId)},"webhook_event":${Buffer.from(rawBody).toString('utf8')}}`;
    const response = await this.http.request({
      url: `${this.base}/v1/notifications/verify-webhook-signature`, method: 'POST', body, signal: this.signal, timeoutMs: 10_000,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    });
    if (response.status !== 200) {
      throw providerError({ provider: 'paypal', status: response.status, providerCode: 'VERIFY_FAILED', message: 'verify-webhook-signature did not answer 200' });
    }
    const answer = safeParse(response.text());
    return answer?.verification_status === 'SUCCESS';
  }
}

function safeParse(text: string): PayPalObject | undefined {
  try {
    const value = JSON.parse(text) as Json;
    return isJsonObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function parseBody(body: unknown): PayPalObject {
  // A void answers 204 with no body.
  if (typeof body !== 'string' || body.trim() === '') return {};
  return safeParse(body) ?? {};
}

/** The approval link a payer must open (rel `approve`, or `payer-action` for newer flows). */
export function approvalLink(order: PayPalObject): string | null {
  const links = Array.isArray(order.links) ? order.links : [];
  const link = links.find((l) => isJsonObject(l) && (l.rel === 'approve' || l.rel === 'payer-action'));
  return isJsonObject(link) && typeof link.href === 'string' ? link.href : null;
}

/** Minor units of a PayPal `{ currency_code, value }`, exactly. */
export function minorOf(amount: Json | undefined): { minor: number; currency: string } | undefined {
  if (!isJsonObject(amount) || typeof amount.value !== 'string' || typeof amount.currency_code !== 'string') return undefined;
  const exponent = exponentOf(amount.currency_code);
  const [whole, fraction = ''] = amount.value.split('.');
  return { minor: Number(BigInt(whole ?? '0') * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0').slice(0, exponent) || '0')), currency: amount.currency_code };
}
