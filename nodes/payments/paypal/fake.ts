import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local PayPal REST API on 127.0.0.1 for tests, e2e and the benchmark, driven through the official
 * `@paypal/paypal-server-sdk`: the OAuth2 client-credentials token call; v2 Checkout orders (create,
 * get, capture, authorize); v2 payments (capture and void an authorization, refund a capture);
 * `PayPal-Request-Id` idempotency as documented (the same id and body → the stored answer; the same id
 * with another body → 422 PAYPAL_REQUEST_ID_PREVIOUSLY_USED); and `verify-webhook-signature`, which
 * checks the transmission headers against the webhook id the events were sent for. Errors have
 * PayPal's shape `{ name, message, debug_id, details: [{ issue, description }] }`.
 */

export interface PayPalFakeOptions {
  /** Default: 'fake-client-id'. */
  clientId?: string;
  /** Default: 'fake-client-secret'. */
  clientSecret?: string;
  /** The webhook registered with PayPal (what `verify-webhook-signature` checks against). Default: 'WH-FAKE-0001'. */
  webhookId?: string;
}

type Obj = Record<string, unknown> & { id: string };

export interface PayPalWebhook {
  headers: Record<string, string>;
  body: string;
}

export interface PayPalFake {
  /** http://127.0.0.1:<port>: the credential's API URL. */
  url: string;
  clientId: string;
  clientSecret: string;
  webhookId: string;
  orders: Map<string, Obj>;
  captures: Map<string, Obj>;
  authorizations: Map<string, Obj>;
  refunds: Map<string, Obj>;
  /** Authenticated calls with their PayPal-Request-Id. */
  calls: { method: string; path: string; requestId?: string }[];
  /** Token calls. */
  tokens: number;
  /** The payer approves the order (as after the approval link). */
  approve(orderId: string): void;
  /** The next call to `route` (e.g. `POST /v2/checkout/orders`) fails with this error. */
  failNext(route: string, error: { status: number; name: string; issue: string; description: string }): void;
  /** A webhook PayPal would deliver for `eventType` about `resource`, with transmission headers only this fake accepts. */
  webhook(eventType: string, resource: Record<string, unknown>, options?: { id?: string; webhookId?: string }): PayPalWebhook;
  close(): Promise<void>;
}

class ApiError extends Error {
  constructor(readonly status: number, readonly errorName: string, readonly issue: string, description: string) {
    super(description);
  }
}

const newId = (length = 17) => randomBytes(length).toString('hex').toUpperCase().slice(0, length);

/** PayPal's decimals per currency: HUF, JPY and TWD take no decimals. */
const NO_DECIMALS = new Set(['HUF', 'JPY', 'TWD']);
const SUPPORTED = new Set('AUD BRL CAD CNY CZK DKK EUR HKD HUF ILS JPY MYR MXN TWD NZD NOK PHP PLN GBP SGD SEK CHF THB USD'.split(' '));

export async function startPayPalFake(options: PayPalFakeOptions = {}): Promise<PayPalFake> {
  const clientId = options.clientId ?? 'fake-client-id';
  const clientSecret = options.clientSecret ?? 'fake-client-secret';
  const webhookId = options.webhookId ?? 'WH-FAKE-0001';
  const signingKey = randomBytes(32);
  const orders = new Map<string, Obj>();
  const captures = new Map<string, Obj>();
  const authorizations = new Map<string, Obj>();
  const refunds = new Map<string, Obj>();
  const idempotent = new Map<string, { body: string; status: number; answer: unknown }>();
  const failures = new Map<string, { status: number; name: string; issue: string; description: string }>();
  const calls: PayPalFake['calls'] = [];
  const tokens = new Set<string>();
  let tokenCalls = 0;
  let base = '';

  const unprocessable = (issue: string, description: string): never => { throw new ApiError(422, 'UNPROCESSABLE_ENTITY', issue, description); };
  const invalid = (issue: string, description: string): never => { throw new ApiError(400, 'INVALID_REQUEST', issue, description); };
  const notFound = (): never => { throw new ApiError(404, 'RESOURCE_NOT_FOUND', 'INVALID_RESOURCE_ID', 'Specified resource ID does not exist. Please check the resource ID and try again.'); };

  function money(value: unknown): { currency_code: string; value: string } {
    const m = value as { currency_code?: unknown; value?: unknown } | undefined;
    if (!m || typeof m.currency_code !== 'string' || typeof m.value !== 'string') invalid('MISSING_REQUIRED_PARAMETER', 'amount.currency_code and amount.value are required');
    const { currency_code: code, value: text } = m as { currency_code: string; value: string };
    if (!SUPPORTED.has(code)) unprocessable('CURRENCY_NOT_SUPPORTED', `Currency code ${code} is not currently supported.`);
    const decimals = NO_DECIMALS.has(code) ? 0 : 2;
    if (!new RegExp(`^\\d{1,10}${decimals ? `(\\.\\d{1,${decimals}})?` : ''}$`).test(text)) invalid('DECIMAL_PRECISION', `If the currency supports decimals, only two decimal place precision is supported (${code}: ${text}).`);
    if (Number(text) <= 0) unprocessable('CANNOT_BE_ZERO_OR_NEGATIVE', 'Must be greater than zero.');
    return { currency_code: code, value: text };
  }
  const cents = (m: { currency_code: string; value: string }) => Math.round(Number(m.value) * (NO_DECIMALS.has(m.currency_code) ? 1 : 100));

  function route(method: string, path: string, body: Record<string, unknown>): { status: number; answer: unknown } {
    let m: RegExpExecArray | null;
    const now = new Date().toISOString();
    if (method === 'POST' && path === '/v2/checkout/orders') {
      const intent = body.intent;
      if (intent !== 'CAPTURE' && intent !== 'AUTHORIZE') invalid('INVALID_PARAMETER_VALUE', 'intent must be CAPTURE or AUTHORIZE');
      const units = Array.isArray(body.purchase_units) ? body.purchase_units as Record<string, unknown>[] : [];
      if (units.length === 0) invalid('MISSING_REQUIRED_PARAMETER', 'purchase_units is required');
      const purchaseUnits = units.map((u) => ({ ...u, reference_id: u.reference_id ?? 'default', amount: money(u.amount) }));
      const id = newId();
      const order: Obj = {
        id, intent, status: 'CREATED', purchase_units: purchaseUnits, create_time: now,
        links: [
          { href: `${base}/v2/checkout/orders/${id}`, rel: 'self', method: 'GET' },
          { href: `https://www.sandbox.paypal.com/checkoutnow?token=${id}`, rel: 'approve', method: 'GET' },
          { href: `${base}/v2/checkout/orders/${id}`, rel: 'update', method: 'PATCH' },
          { href: `${base}/v2/checkout/orders/${id}/${intent === 'CAPTURE' ? 'capture' : 'authorize'}`, rel: intent === 'CAPTURE' ? 'capture' : 'authorize', method: 'POST' },
        ],
      };
      orders.set(id, order);
      return { status: 201, answer: order };
    }
    if (method === 'GET' && (m = /^\/v2\/checkout\/orders\/([^/]+)$/.exec(path))) return { status: 200, answer: orders.get(m[1]!) ?? notFound() };
    if (method === 'POST' && (m = /^\/v2\/checkout\/orders\/([^/]+)\/(capture|authorize)$/.exec(path))) {
      const order = orders.get(m[1]!) ?? notFound();
      const action = m[2]!;
      if (order.status === 'COMPLETED') unprocessable(action === 'capture' ? 'ORDER_ALREADY_CAPTURED' : 'ORDER_ALREADY_AUTHORIZED', `Order already ${action === 'capture' ? 'captured' : 'authorized'}.`);
      if (order.status !== 'APPROVED') unprocessable('ORDER_NOT_APPROVED', 'Payer has not yet approved the Order for payment. Please redirect the payer to the \'rel\':\'approve\' url returned as part of the HATEOAS links within the Create Order call or provide a valid payment_source in the request.');
      if ((action === 'capture') !== (order.intent === 'CAPTURE')) unprocessable('ACTION_DOES_NOT_MATCH_INTENT', `Order was created with an intent of '${String(order.intent)}'. Please use /${order.intent === 'CAPTURE' ? 'capture' : 'authorize'} instead.`);
      const unit = (order.purchase_units as Record<string, unknown>[])[0]!;
      const amount = unit.amount as { currency_code: string; value: string };
      const id = newId();
      if (action === 'capture') {
        const capture: Obj = { id, status: 'COMPLETED', amount, final_capture: true, create_time: now, supplementary_data: { related_ids: { order_id: order.id } }, refunded: 0 };
        captures.set(id, capture);
        unit.payments = { captures: [publicOf(capture)] };
      } else {
        const authorization: Obj = { id, status: 'CREATED', amount, create_time: now, expiration_time: new Date(Date.now() + 29 * 86400_000).toISOString(), supplementary_data: { related_ids: { order_id: order.id } } };
        authorizations.set(id, authorization);
        unit.payments = { authorizations: [publicOf(authorization)] };
      }
      order.status = 'COMPLETED';
      order.payer = { payer_id: 'FAKEPAYER01', email_address: 'buyer@example.com', name: { given_name: 'Test', surname: 'Buyer' } };
      return { status: 201, answer: order };
    }
    if (method === 'POST' && (m = /^\/v2\/payments\/authorizations\/([^/]+)\/(capture|void)$/.exec(path))) {
      const authorization = authorizations.get(m[1]!) ?? notFound();
      if (authorization.status === 'VOIDED') unprocessable(m[2] === 'void' ? 'PREVIOUSLY_VOIDED' : 'AUTHORIZATION_VOIDED', 'A voided authorization cannot be captured or voided.');
      if (authorization.status === 'CAPTURED') unprocessable(m[2] === 'void' ? 'PREVIOUSLY_CAPTURED' : 'AUTHORIZATION_ALREADY_CAPTURED', 'Authorization has been previously captured and hence cannot be captured again.');
      if (m[2] === 'void') {
        authorization.status = 'VOIDED';
        return { status: 204, answer: undefined };
      }
      const amount = body.amount === undefined ? authorization.amount as { currency_code: string; value: string } : money(body.amount);
      if (cents(amount) > cents(authorization.amount as { currency_code: string; value: string })) unprocessable('MAX_CAPTURE_AMOUNT_EXCEEDED', 'Capture amount exceeds allowable limit.');
      authorization.status = 'CAPTURED';
      const capture: Obj = { id: newId(), status: 'COMPLETED', amount, final_capture: true, create_time: now, supplementary_data: authorization.supplementary_data, refunded: 0 };
      captures.set(capture.id, capture);
      return { status: 201, answer: publicOf(capture) };
    }
    if (method === 'POST' && (m = /^\/v2\/payments\/captures\/([^/]+)\/refund$/.exec(path))) {
      const capture = captures.get(m[1]!) ?? notFound();
      const total = capture.amount as { currency_code: string; value: string };
      const left = cents(total) - (capture.refunded as number);
      if (left === 0) unprocessable('CAPTURE_FULLY_REFUNDED', 'The capture has already been fully refunded.');
      const amount = body.amount === undefined ? { currency_code: total.currency_code, value: NO_DECIMALS.has(total.currency_code) ? String(left) : (left / 100).toFixed(2) } : money(body.amount);
      if (amount.currency_code !== total.currency_code) unprocessable('REFUND_CAPTURE_CURRENCY_MISMATCH', 'Refund currency must match the capture currency.');
      if (cents(amount) > left) unprocessable('REFUND_AMOUNT_EXCEEDED', 'The refund amount must be less than or equal to the capture amount that has not yet been refunded.');
      capture.refunded = (capture.refunded as number) + cents(amount);
      capture.status = capture.refunded === cents(total) ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
      const refund: Obj = { id: newId(), status: 'COMPLETED', amount, create_time: now, links: [{ rel: 'up', href: `${base}/v2/payments/captures/${capture.id}`, method: 'GET' }] };
      refunds.set(refund.id, refund);
      return { status: 201, answer: refund };
    }
    if (method === 'POST' && path === '/v1/notifications/verify-webhook-signature') {
      const event = body.webhook_event;
      const expected = signatureOf(String(body.transmission_id), String(body.transmission_time), String(body.webhook_id), JSON.stringify(event));
      const ok = body.webhook_id === webhookId && body.auth_algo === 'SHA256withRSA' && body.transmission_sig === expected;
      return { status: 200, answer: { verification_status: ok ? 'SUCCESS' : 'FAILURE' } };
    }
    notFound();
    return { status: 404, answer: undefined };
  }

  function signatureOf(transmissionId: string, time: string, hookId: string, body: string): string {
    return createHmac('sha256', signingKey).update(`${transmissionId}|${time}|${hookId}|${body}`).digest('base64');
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const method = req.method ?? 'GET';
      const send = (status: number, payload: unknown) => {
        if (payload === undefined) res.writeHead(status).end();
        else res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      };
      if (method === 'POST' && path === '/v1/oauth2/token') {
        tokenCalls++;
        if (req.headers.authorization !== `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`) {
          send(401, { error: 'invalid_client', error_description: 'Client Authentication failed' });
          return;
        }
        const token = `A21AA${randomBytes(24).toString('base64url')}`;
        tokens.add(token);
        send(200, { scope: 'https://uri.paypal.com/services/payments/payment', access_token: token, token_type: 'Bearer', app_id: 'APP-FAKE', expires_in: 32400, nonce: newId(20) });
        return;
      }
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!bearer || !tokens.has(bearer)) {
        send(401, { name: 'AUTHENTICATION_FAILURE', message: 'Authentication failed due to invalid authentication credentials or a missing Authorization header.', debug_id: newId(13), details: [] });
        return;
      }
      const requestId = typeof req.headers['paypal-request-id'] === 'string' ? req.headers['paypal-request-id'] : undefined;
      calls.push({ method, path, requestId });
      const failure = failures.get(`${method} ${path}`);
      if (failure) {
        failures.delete(`${method} ${path}`);
        send(failure.status, { name: failure.name, message: failure.description, debug_id: newId(13), details: [{ issue: failure.issue, description: failure.description }] });
        return;
      }
      const key = requestId ? `${method} ${path} ${requestId}` : undefined;
      const before = key ? idempotent.get(key) : undefined;
      if (before) {
        if (before.body === raw) send(before.status, before.answer);
        else send(422, { name: 'UNPROCESSABLE_ENTITY', message: 'The requested action could not be performed, semantically incorrect, or failed business validation.', debug_id: newId(13), details: [{ issue: 'PAYPAL_REQUEST_ID_PREVIOUSLY_USED', description: 'The PayPal-Request-Id has already been used for another request.' }] });
        return;
      }
      try {
        const body = raw ? JSON.parse(raw) as Record<string, unknown> : {};
        const { status, answer } = route(method, path, body);
        // Stored as answered, so a repeat gets this very snapshot (PayPal keeps them for hours).
        const snapshot: unknown = answer === undefined ? undefined : JSON.parse(JSON.stringify(answer));
        if (key) idempotent.set(key, { body: raw, status, answer: snapshot });
        send(status, snapshot);
      } catch (error) {
        if (error instanceof SyntaxError) {
          send(400, { name: 'INVALID_REQUEST', message: 'Request is not well-formed', debug_id: newId(13), details: [{ issue: 'MALFORMED_REQUEST_JSON', description: 'The request JSON is not well formed.' }] });
          return;
        }
        if (!(error instanceof ApiError)) throw error;
        send(error.status, { name: error.errorName, message: error.message, debug_id: newId(13), details: [{ issue: error.issue, description: error.message }] });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base, clientId, clientSecret, webhookId, orders, captures, authorizations, refunds, calls,
    get tokens() { return tokenCalls; },
    approve(orderId) {
      const order = orders.get(orderId);
      if (!order) throw new Error(`no order ${orderId}`);
      order.status = 'APPROVED';
    },
    failNext(key, error) {
      failures.set(key, error);
    },
    webhook(eventType, resource, opts = {}) {
      const event = {
        id: opts.id ?? `WH-${newId(17)}`, event_version: '1.0', create_time: new Date().toISOString(), resource_type: eventType.split('.')[1]?.toLowerCase() ?? 'checkout-order',
        resource_version: '2.0', event_type: eventType, summary: `${eventType} event`, resource,
      };
      const body = JSON.stringify(event);
      const transmissionId = randomBytes(16).toString('hex');
      const time = new Date().toISOString();
      return {
        body,
        headers: {
          'content-type': 'application/json', 'paypal-transmission-id': transmissionId, 'paypal-transmission-time': time,
          'paypal-transmission-sig': signatureOf(transmissionId, time, opts.webhookId ?? webhookId, body),
          'paypal-cert-url': 'https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-fake', 'paypal-auth-algo': 'SHA256withRSA',
        },
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What the API shows of a capture (our bookkeeping field left out). */
function publicOf(object: Obj): Obj {
  const { refunded: _refunded, ...rest } = object;
  return rest as Obj;
}
