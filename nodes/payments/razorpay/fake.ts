import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local Razorpay API (https://razorpay.com/docs/api/) on 127.0.0.1 for tests, e2e and the
 * benchmark, driven through the official `razorpay` SDK: Basic auth with the key id and secret;
 * `/v1/orders` (create, fetch, list by `receipt`), `/v1/payment_links` (create with UPI, notify,
 * expiry and a unique `reference_id` as the real API enforces; fetch; list by `reference_id`),
 * `/v1/payments/:id` (fetch, capture, refund with speed, list refunds). Errors have the real shape
 * `{ error: { code, description, field, source, reason } }`. The test side plays the customer
 * (`pay`) and signs webhook events the way Razorpay does (`webhook`).
 */

export interface RazorpayFakeOptions {
  /** Default: 'rzp_test_fake000000001'. */
  keyId?: string;
  /** Default: 'fake_key_secret_0123456789'. */
  keySecret?: string;
  /** The dashboard's webhook secret the fake signs events with. Default: 'fake_webhook_secret'. */
  webhookSecret?: string;
}

type Entity = Record<string, unknown> & { id: string };

export interface RazorpayWebhook {
  /** Lower-case header names: `x-razorpay-signature`, `x-razorpay-event-id`, `content-type`. */
  headers: Record<string, string>;
  body: string;
}

export interface RazorpayFake {
  /** http://127.0.0.1:<port>: the credential's API URL. */
  url: string;
  keyId: string;
  keySecret: string;
  webhookSecret: string;
  orders: Map<string, Entity>;
  links: Map<string, Entity>;
  payments: Map<string, Entity>;
  refunds: Map<string, Entity>;
  /** Every authenticated call, in order: `POST /v1/orders`, … */
  calls: { method: string; path: string; body: Record<string, unknown> }[];
  /** The customer pays an order or a payment link: a payment `authorized` (or `captured`, or `failed`). */
  pay(id: string, options?: { status?: 'authorized' | 'captured' | 'failed'; method?: string }): Entity;
  /** Called after each successful answer has been written, with its route (`POST /v1/orders`): chaos tests kill a worker here. */
  answered(listener: ((route: string) => void) | undefined): void;
  /** The next call to `path` (e.g. `POST /v1/orders`) fails with this error. */
  failNext(route: string, error: { status: number; code: string; description: string }): void;
  /** A webhook Razorpay would deliver for `event` about `entity`, signed with the webhook secret. */
  webhook(event: string, entities: Record<string, Entity>, options?: { eventId?: string; secret?: string }): RazorpayWebhook;
  close(): Promise<void>;
}

const id = (prefix: string) => `${prefix}_${randomBytes(7).toString('base64url').replace(/[-_]/g, 'x')}`;
const now = () => Math.floor(Date.now() / 1000);

class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, description: string, readonly field?: string) {
    super(description);
  }
}

export async function startRazorpayFake(options: RazorpayFakeOptions = {}): Promise<RazorpayFake> {
  const keyId = options.keyId ?? 'rzp_test_fake000000001';
  const keySecret = options.keySecret ?? 'fake_key_secret_0123456789';
  const webhookSecret = options.webhookSecret ?? 'fake_webhook_secret';
  const orders = new Map<string, Entity>();
  const links = new Map<string, Entity>();
  const payments = new Map<string, Entity>();
  const refunds = new Map<string, Entity>();
  const calls: RazorpayFake['calls'] = [];
  const failures = new Map<string, { status: number; code: string; description: string }>();
  let onAnswered: ((route: string) => void) | undefined;
  const auth = `Basic ${Buffer.from(`${keyId}:${keySecret}`).toString('base64')}`;

  const bad = (description: string, field?: string): never => { throw new ApiError(400, 'BAD_REQUEST_ERROR', description, field); };
  const amountOf = (body: Record<string, unknown>, field = 'amount'): number => {
    const amount = body[field];
    if (typeof amount !== 'number' || !Number.isInteger(amount)) bad(`The ${field} must be an integer.`, field);
    if ((amount as number) < 100) bad('The amount must be atleast INR 1.00', field);
    return amount as number;
  };
  const find = (map: Map<string, Entity>, key: string, what: string): Entity =>
    map.get(key) ?? bad(`The id provided does not exist`, what);

  function route(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): unknown {
    let m: RegExpExecArray | null;
    if (method === 'POST' && path === '/v1/orders') {
      const amount = amountOf(body);
      if (typeof body.receipt === 'string' && body.receipt.length > 40) bad('receipt: the receipt may not be greater than 40 characters.', 'receipt');
      const order: Entity = {
        id: id('order'), entity: 'order', amount, amount_paid: 0, amount_due: amount, currency: body.currency ?? 'INR',
        receipt: body.receipt ?? null, offer_id: null, status: 'created', attempts: 0, notes: body.notes ?? [], created_at: now(),
      };
      orders.set(order.id, order);
      return order;
    }
    if (method === 'GET' && path === '/v1/orders') return collection([...orders.values()].filter((o) => !query.get('receipt') || o.receipt === query.get('receipt')));
    if (method === 'GET' && (m = /^\/v1\/orders\/([^/]+)$/.exec(path))) return find(orders, m[1]!, 'id');
    if (method === 'POST' && path === '/v1/payment_links') {
      const amount = amountOf(body);
      const reference = typeof body.reference_id === 'string' ? body.reference_id : undefined;
      if (reference && reference.length > 40) bad('reference_id: the reference id may not be greater than 40 characters.', 'reference_id');
      if (reference && [...links.values()].some((l) => l.reference_id === reference)) bad(`Payment Link with reference id ${reference} already exists`, 'reference_id');
      const expireBy = typeof body.expire_by === 'number' ? body.expire_by : 0;
      if (expireBy !== 0 && expireBy < now() + 15 * 60) bad('expire_by should be at least 15 minutes after current time', 'expire_by');
      const link: Entity = {
        id: id('plink'), entity: 'payment_link', amount, amount_paid: 0, currency: body.currency ?? 'INR', accept_partial: body.accept_partial ?? false,
        description: body.description ?? '', customer: body.customer ?? {}, notify: body.notify ?? { sms: false, email: false },
        reminder_enable: body.reminder_enable ?? false, notes: body.notes ?? null, callback_url: body.callback_url ?? '',
        callback_method: body.callback_method ?? '', expire_by: expireBy, expired_at: 0, reference_id: reference ?? '',
        upi_link: body.upi_link === true, status: 'created', payments: null, created_at: now(), updated_at: now(),
      };
      link.short_url = `https://rzp.io/${link.upi_link ? 'rzp' : 'i'}/${link.id.slice(6, 14)}`;
      links.set(link.id, link);
      return link;
    }
    if (method === 'GET' && path === '/v1/payment_links') {
      const items = [...links.values()].filter((l) => !query.get('reference_id') || l.reference_id === query.get('reference_id'));
      return { payment_links: items };
    }
    if (method === 'GET' && (m = /^\/v1\/payment_links\/([^/]+)$/.exec(path))) return find(links, m[1]!, 'id');
    if (method === 'GET' && (m = /^\/v1\/payments\/([^/]+)$/.exec(path))) return find(payments, m[1]!, 'id');
    if (method === 'POST' && (m = /^\/v1\/payments\/([^/]+)\/capture$/.exec(path))) {
      const payment = find(payments, m[1]!, 'id');
      const amount = amountOf(body);
      if (payment.status === 'captured' || payment.status === 'refunded') bad('This payment has already been captured');
      if (payment.status !== 'authorized') bad('Only payments which have been authorized and not yet captured can be captured');
      if (amount !== payment.amount) bad('Capture amount must be equal to the amount authorized', 'amount');
      if (body.currency !== undefined && body.currency !== payment.currency) bad('The currency should be same as the payment currency', 'currency');
      Object.assign(payment, { status: 'captured', captured: true });
      settle(payment);
      return payment;
    }
    if (method === 'POST' && (m = /^\/v1\/payments\/([^/]+)\/refund$/.exec(path))) {
      const payment = find(payments, m[1]!, 'id');
      if (payment.status !== 'captured') bad('The payment has not been captured');
      const left = (payment.amount as number) - (payment.amount_refunded as number);
      const amount = body.amount === undefined ? left : amountOf(body);
      if (amount > left) bad('The refund amount provided is greater than amount captured', 'amount');
      const speed = body.speed ?? 'normal';
      if (speed !== 'normal' && speed !== 'optimum') bad('speed: The selected speed is invalid.', 'speed');
      const refund: Entity = {
        id: id('rfnd'), entity: 'refund', amount, currency: payment.currency, payment_id: payment.id, notes: body.notes ?? [],
        receipt: body.receipt ?? null, acquirer_data: { arn: null }, created_at: now(), batch_id: null, status: 'processed',
        speed_requested: speed, speed_processed: speed === 'optimum' ? 'instant' : 'normal',
      };
      refunds.set(refund.id, refund);
      const refunded = (payment.amount_refunded as number) + amount;
      Object.assign(payment, {
        amount_refunded: refunded, refund_status: refunded === payment.amount ? 'full' : 'partial',
        status: refunded === payment.amount ? 'refunded' : 'captured',
      });
      return refund;
    }
    if (method === 'GET' && (m = /^\/v1\/payments\/([^/]+)\/refunds$/.exec(path))) {
      find(payments, m[1]!, 'id');
      return collection([...refunds.values()].filter((r) => r.payment_id === m![1]));
    }
    throw new ApiError(404, 'BAD_REQUEST_ERROR', 'The requested URL was not found on the server.');
  }

  /** A captured payment moves its order and link to paid. */
  function settle(payment: Entity): void {
    const order = typeof payment.order_id === 'string' ? orders.get(payment.order_id) : undefined;
    if (order) Object.assign(order, { status: 'paid', amount_paid: order.amount, amount_due: 0 });
    const link = typeof payment.payment_link_id === 'string' ? links.get(payment.payment_link_id) : undefined;
    if (link) Object.assign(link, { status: 'paid', amount_paid: link.amount, payments: [{ payment_id: payment.id, amount: payment.amount, status: 'captured' }] });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
      };
      if (req.headers.authorization !== auth) {
        send(401, { error: { code: 'BAD_REQUEST_ERROR', description: 'Authentication failed', source: 'NA', step: 'NA', reason: 'NA', metadata: {} } });
        return;
      }
      let body: Record<string, unknown> = {};
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        if (text) body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        send(400, { error: { code: 'BAD_REQUEST_ERROR', description: 'The request body is not valid JSON' } });
        return;
      }
      const method = req.method ?? 'GET';
      calls.push({ method, path: url.pathname, body });
      const failure = failures.get(`${method} ${url.pathname}`);
      if (failure) {
        failures.delete(`${method} ${url.pathname}`);
        send(failure.status, { error: { code: failure.code, description: failure.description, source: 'bank', step: 'payment_authorization', reason: 'payment_failed', metadata: {} } });
        return;
      }
      try {
        send(200, route(method, url.pathname, url.searchParams, body));
        onAnswered?.(`${method} ${url.pathname}`);
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        send(error.status, { error: { code: error.code, description: error.message, field: error.field ?? null, source: 'business', step: 'payment_initiation', reason: 'input_validation_failed', metadata: {} } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    keyId, keySecret, webhookSecret, orders, links, payments, refunds, calls,
    pay(target, opts = {}) {
      const order = orders.get(target);
      const link = links.get(target);
      if (!order && !link) throw new Error(`no order or payment link ${target}`);
      const status = opts.status ?? 'authorized';
      const source = (order ?? link)!;
      const payment: Entity = {
        id: id('pay'), entity: 'payment', amount: source.amount, currency: source.currency, status,
        order_id: order?.id ?? null, payment_link_id: link?.id ?? undefined, invoice_id: null, international: false,
        method: opts.method ?? (link?.upi_link ? 'upi' : 'card'), amount_refunded: 0, refund_status: null,
        captured: status === 'captured', description: source.description ?? null, email: 'customer@example.com', contact: '+919900000000',
        error_code: status === 'failed' ? 'BAD_REQUEST_ERROR' : null,
        error_description: status === 'failed' ? 'Payment failed because of insufficient balance' : null,
        created_at: now(),
      };
      payments.set(payment.id, payment);
      if (order) order.attempts = (order.attempts as number) + 1;
      if (order && status !== 'failed') order.status = 'attempted';
      if (status === 'captured') settle(payment);
      return payment;
    },
    answered(listener) {
      onAnswered = listener;
    },
    failNext(routeKey, error) {
      failures.set(routeKey, error);
    },
    webhook(event, entities, opts = {}) {
      const payload: Record<string, { entity: Entity }> = {};
      for (const [name, entity] of Object.entries(entities)) payload[name] = { entity };
      const body = JSON.stringify({
        entity: 'event', account_id: 'acc_FakeAccount0001', event, contains: Object.keys(entities), payload, created_at: now(),
      });
      const signature = createHmac('sha256', opts.secret ?? webhookSecret).update(body).digest('hex');
      return {
        headers: { 'content-type': 'application/json', 'x-razorpay-signature': signature, 'x-razorpay-event-id': opts.eventId ?? `evt_${randomBytes(8).toString('hex')}` },
        body,
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function collection(items: Entity[]) {
  return { entity: 'collection', count: items.length, items };
}
