import type { AxiosInstance } from 'axios';
import Razorpay from 'razorpay';
import type { HttpClient, Json } from '@switchyard/sdk';
import { paymentRule, providerError } from '../_shared/errors.js';
import { guardedAdapter } from '../_shared/http.js';
import { checkProviderCurrency, formatMinor, type Money, type ProviderCurrencies } from '../_shared/money.js';

export const RAZORPAY_API = 'https://api.razorpay.com';

/**
 * Currencies Razorpay accepts (its international payments list); three-decimal ones are charged in
 * steps of 10 minor units (https://razorpay.com/docs/payments/international-payments/#supported-currencies).
 */
export const RAZORPAY_CURRENCIES: ProviderCurrencies = {
  provider: 'Razorpay',
  supported: new Set(('INR USD EUR GBP SGD AED AUD CAD CHF CNY CZK DKK HKD HUF IDR ILS JPY KES KRW KWD LKR MXN MYR ' +
    'NOK NPR NZD OMR PHP PLN QAR RUB SAR SEK THB TRY TWD ZAR BHD BDT EGP JOD VND').split(' ')),
  step: { KWD: 10, BHD: 10, OMR: 10, JOD: 10 },
};

/** The credential's fields this client uses. */
export interface RazorpayFields {
  keyId?: string;
  keySecret?: string;
  /** Default: {@link RAZORPAY_API}. */
  baseUrl?: string;
}

/** A Razorpay entity as the API returned it (order, payment link, payment, refund). */
export type Entity = { [key: string]: Json; id: string };

/**
 * The official `razorpay` SDK pointed at the credential's `baseUrl` through its own axios instance
 * (`api.rq.defaults.adapter`), over the SSRF-guarded `ctx.http`. Every call's failure becomes a step
 * error carrying Razorpay's code: refusals are not retried, outages are.
 */
export class RazorpayClient {
  private readonly sdk: Razorpay;
  private readonly transport: ReturnType<typeof guardedAdapter>;

  constructor(http: HttpClient, fields: RazorpayFields, signal?: AbortSignal) {
    const keyId = (fields.keyId ?? '').trim();
    if (!keyId) throw paymentRule('the Razorpay credential has no key id', 'razorpay_credential_incomplete');
    this.sdk = new Razorpay({ key_id: keyId, key_secret: (fields.keySecret ?? '').trim() });
    this.transport = guardedAdapter({ http, hosts: [RAZORPAY_API], baseUrl: fields.baseUrl?.trim() || undefined, signal });
    // The SDK's own axios instance (`api.rq`, typed nowhere in its declarations): its adapter is
    // axios's documented extension point, and the only way the SDK lets us choose the host.
    const rq: unknown = Reflect.get(this.sdk.api, 'rq');
    if (!isAxiosInstance(rq)) throw new Error('the razorpay SDK has no api.rq axios instance; the pinned 2.9.x version is required');
    rq.defaults.adapter = this.transport.adapter;
  }

  /** Runs one SDK call; its failure becomes a step error with Razorpay's code. */
  async call<T>(run: (sdk: Razorpay) => Promise<T>): Promise<T> {
    try {
      return await run(this.sdk);
    } catch (error) {
      throw this.failure(error);
    }
  }

  private failure(error: unknown) {
    // The SDK rethrows an HTTP error as { statusCode, error: { code, description, field } }.
    if (typeof error === 'object' && error !== null && 'statusCode' in error) {
      const { statusCode, error: body } = error as { statusCode: number; error?: { code?: string; description?: string; field?: string | null } };
      return providerError({
        provider: 'razorpay', status: statusCode, providerCode: body?.code ?? 'UNKNOWN_ERROR',
        message: body?.description ?? `HTTP ${statusCode}`, field: body?.field ?? undefined,
      });
    }
    // Unreachable: the SDK reads `err.response.status` of a transport error and throws a TypeError.
    const transport = this.transport.lastTransportError() ?? (error instanceof Error ? error : new Error(String(error)));
    if ('code' in transport && typeof transport.code === 'string' && transport.name === 'OutboundBlockedError') throw transport;
    return providerError({ provider: 'razorpay', status: 0, providerCode: 'UNREACHABLE', message: transport.message });
  }

  /**
   * Creates an order once per `receipt`: an order already holding the receipt (a retry, a worker
   * killed after Razorpay answered, a re-run) is returned instead; one with another amount is an error.
   */
  async createOrderOnce(money: Money, receipt: string, notes: Record<string, string>, partialPayment: boolean): Promise<{ order: Entity; reused: boolean }> {
    checkProviderCurrency(money, RAZORPAY_CURRENCIES);
    const found = await this.call((sdk) => sdk.orders.all({ receipt, count: 1 }));
    const existing = found.items[0] === undefined ? undefined : toEntity(found.items[0]);
    if (existing) {
      sameMoney(existing, money, `order ${existing.id} with receipt ${receipt}`);
      return { order: existing, reused: true };
    }
    const order = await this.call((sdk) => sdk.orders.create({
      amount: money.minor, currency: money.currency, receipt, notes, partial_payment: partialPayment,
    }));
    return { order: toEntity(order), reused: false };
  }

  /** Creates a payment link once per `reference_id` (Razorpay also refuses a second one with it). */
  async createLinkOnce(money: Money, body: Record<string, unknown> & { reference_id: string }): Promise<{ link: Entity; reused: boolean }> {
    checkProviderCurrency(money, RAZORPAY_CURRENCIES);
    const existing = await this.linkByReference(body.reference_id);
    if (existing) {
      sameMoney(existing, money, `payment link ${existing.id} with reference id ${body.reference_id}`);
      return { link: existing, reused: true };
    }
    const link = await this.call((sdk) => sdk.paymentLink.create({ ...body, amount: money.minor, currency: money.currency } as Parameters<Razorpay['paymentLink']['create']>[0]));
    return { link: toEntity(link), reused: false };
  }

  private async linkByReference(reference: string): Promise<Entity | undefined> {
    const found = await this.call((sdk) => sdk.paymentLink.all({ reference_id: reference } as Parameters<Razorpay['paymentLink']['all']>[0]));
    return (found.payment_links ?? []).map(toEntity).find((l) => l.reference_id === reference);
  }

  async fetch(kind: 'payment' | 'order' | 'payment_link', providerId: string): Promise<Entity> {
    const entity: object = await this.call<object>((sdk) => {
      if (kind === 'payment') return sdk.payments.fetch(providerId);
      if (kind === 'order') return sdk.orders.fetch(providerId);
      return sdk.paymentLink.fetch(providerId);
    });
    return toEntity(entity);
  }

  /** Captures an authorized payment; one already captured for this amount is returned as it is (a repeat is not a second charge). */
  async capture(paymentId: string, money: Money): Promise<{ payment: Entity; reused: boolean }> {
    const payment = await this.fetch('payment', paymentId);
    if (payment.status === 'captured' && payment.amount === money.minor) return { payment, reused: true };
    const captured = await this.call((sdk) => sdk.payments.capture(paymentId, money.minor, money.currency));
    return { payment: toEntity(captured), reused: false };
  }

  /**
   * Refunds once per `receipt`: a refund of this payment already holding the receipt is returned.
   * `amount` undefined refunds what is left; more than what is left fails before calling Razorpay.
   */
  async refundOnce(paymentId: string, amount: number | undefined, speed: 'normal' | 'optimum', receipt: string, notes: Record<string, string>): Promise<{ refund: Entity; reused: boolean }> {
    const previous = await this.call((sdk) => sdk.payments.fetchMultipleRefund(paymentId, { count: 100 }));
    const existing = previous.items.map(toEntity).find((r) => r.receipt === receipt);
    if (existing) return { refund: existing, reused: true };
    const payment = await this.fetch('payment', paymentId);
    const left = Number(payment.amount) - Number(payment.amount_refunded ?? 0);
    if (payment.status !== 'captured' && payment.status !== 'refunded') {
      throw paymentRule(`payment ${paymentId} is ${String(payment.status)}; only a captured payment can be refunded`, 'refund_not_captured');
    }
    if (amount !== undefined && amount > left) {
      const currency = String(payment.currency);
      throw paymentRule(`the refund of ${formatMinor(amount, currency)} ${currency} is more than the ${formatMinor(left, currency)} ${currency} left to refund on ${paymentId}`, 'refund_exceeds_captured', { left, currency });
    }
    const refund = await this.call((sdk) => sdk.payments.refund(paymentId, { ...(amount !== undefined ? { amount } : {}), speed, receipt, notes }));
    return { refund: toEntity(refund), reused: false };
  }
}

/** An SDK answer as the JSON entity it was parsed from (the SDK's own types are narrower than what Razorpay sends). */
export function toEntity(value: unknown): Entity {
  if (typeof value !== 'object' || value === null || !('id' in value) || typeof value.id !== 'string') {
    throw providerError({ provider: 'razorpay', status: 502, providerCode: 'MALFORMED_RESPONSE', message: 'Razorpay answered without an entity id' });
  }
  return value as Entity;
}

function isAxiosInstance(value: unknown): value is AxiosInstance {
  return typeof value === 'function' && 'defaults' in value && typeof value.defaults === 'object';
}

function sameMoney(entity: Entity, money: Money, what: string): void {
  if (entity.amount !== money.minor || entity.currency !== money.currency) {
    throw paymentRule(`${what} already exists for ${String(entity.amount)} ${String(entity.currency)} (minor units), not ${money.minor} ${money.currency}`, 'idempotency_mismatch');
  }
}
