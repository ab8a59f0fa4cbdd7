import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isJsonObject, type Json, type PaymentObjectRecord } from '@switchyard/sdk';
import { STATUS_RANK, type PaymentStatus } from '../../nodes/payments/_shared/events.js';
import { CURRENCY_EXPONENTS, formatMinor } from '../../nodes/payments/_shared/money.js';
import type { RecordedEvent } from '../gateway/events.js';

/** Where a ledger entry came from. */
export interface LedgerSource {
  source: 'step' | 'webhook' | 'api';
  flowId?: string;
  executionId?: string;
  stepKey?: string;
  channelEventId?: string;
  providerEventId?: string;
}

/** A payment object as the ledger lists it. */
export interface LedgerPayment {
  id: string;
  provider: string;
  credentialId: string;
  objectType: string;
  providerId: string;
  /** Minor units. */
  amount: number | null;
  currency: string | null;
  /** `amount` in the currency's major unit with its ISO 4217 exponent ("499.00" INR, "500" JPY), exact; null without both. */
  amountText: string | null;
  status: string;
  related: Record<string, string>;
  flowId: string | null;
  executionId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface LedgerHistoryEntry {
  status: string;
  source: string;
  executionId: string | null;
  stepKey: string | null;
  channelEventId: string | null;
  providerEventId: string | null;
  /** False when the entry arrived late or repeated and left the status as it was. */
  applied: boolean;
  at: string;
}

/** The sum of one currency's payments in one status: each movement of money once (see `list`). */
export interface LedgerTotal {
  currency: string;
  status: string;
  /** Minor units. */
  amount: number;
  /** `amount` in major units, as {@link LedgerPayment.amountText}. */
  amountText: string | null;
  count: number;
}

/** Filters of `list`. Every one optional. */
export interface LedgerFilter {
  status?: string;
  provider?: string;
  flowId?: string;
  /** ISO dates, inclusive. */
  from?: string;
  to?: string;
  /** Default: 100, at most 500. */
  limit?: number;
}

function rank(status: string): number {
  return Object.hasOwn(STATUS_RANK, status) ? STATUS_RANK[status as PaymentStatus] : -1;
}

/** Whether `next` moves an object forward from `current` (statuses never go back: a late webhook changes nothing). */
function forward(current: string, next: string): boolean {
  if (next === 'partially_refunded' && current === 'partially_refunded') return true;
  return rank(next) > rank(current);
}

/**
 * The payments ledger (decision 034): one row per provider object per workspace, its status moved
 * only forward (created → authorized → captured → partially refunded → refunded; failed, expired and
 * voided end an uncaptured one), and a history of every step and webhook that spoke about it.
 */
export class PaymentLedger {
  constructor(private readonly knex: Knex) {}

  /** Records what a step or webhook says about one object; returns its ledger id and whether its status moved. */
  async record(workspaceId: string, object: PaymentObjectRecord, from: LedgerSource): Promise<{ id: string; applied: boolean }> {
    return this.knex.transaction(async (trx) => {
      const inserted = await trx('payments').insert({
        id: randomUUID(), workspace_id: workspaceId, provider: object.provider, credential_id: object.credentialId,
        object_type: object.objectType, provider_id: object.providerId, amount: object.amount ?? null, currency: object.currency ?? null,
        status: object.status, related: JSON.stringify(object.related ?? {}),
        flow_id: from.flowId ?? null, execution_id: from.executionId ?? null, step_key: from.stepKey ?? null,
      }).onConflict(['workspace_id', 'provider', 'credential_id', 'provider_id']).ignore().returning('id');
      let id = inserted[0]?.id as string | undefined;
      let applied = id !== undefined;
      if (!id) {
        const row = await trx('payments').where({ workspace_id: workspaceId, provider: object.provider, credential_id: object.credentialId, provider_id: object.providerId })
          .forUpdate().first('id', 'status', 'related');
        id = String(row.id);
        applied = forward(String(row.status), object.status);
        await trx('payments').where({ id }).update({
          ...(applied ? { status: object.status } : {}),
          amount: trx.raw('coalesce(amount, ?)', [object.amount ?? null]), currency: trx.raw('coalesce(currency, ?)', [object.currency ?? null]),
          related: JSON.stringify({ ...(isJsonObject(row.related as Json) ? row.related : {}), ...(object.related ?? {}) }),
          flow_id: trx.raw('coalesce(flow_id, ?)', [from.flowId ?? null]), execution_id: trx.raw('coalesce(execution_id, ?)', [from.executionId ?? null]),
          updated_at: trx.fn.now(),
        });
      }
      await trx('payment_history').insert({
        payment_id: id, status: object.status, source: from.source, execution_id: from.executionId ?? null, step_key: from.stepKey ?? null,
        channel_event_id: from.channelEventId ?? null, provider_event_id: from.providerEventId ?? null, applied,
      }).onConflict(['payment_id', 'provider_event_id']).ignore();
      return { id, applied };
    });
  }

  /** Records the payment events of a dispatch batch (events of other kinds are left alone). */
  async recordEvents(batch: readonly RecordedEvent[]): Promise<void> {
    for (const recorded of batch) {
      for (const object of objectsOf(recorded)) {
        await this.record(recorded.workspaceId, object, { source: 'webhook', channelEventId: recorded.rowId, providerEventId: recorded.event.id });
      }
    }
  }

  async list(workspaceId: string, filter: LedgerFilter = {}): Promise<{ payments: LedgerPayment[]; totals: LedgerTotal[] }> {
    const scoped = () => {
      const q = this.knex('payments').where({ workspace_id: workspaceId });
      if (filter.status) q.andWhere('status', filter.status);
      if (filter.provider) q.andWhere('provider', filter.provider);
      if (filter.flowId) q.andWhere('flow_id', filter.flowId);
      if (filter.from) q.andWhere('created_at', '>=', filter.from);
      if (filter.to) q.andWhere('created_at', '<=', filter.to);
      return q;
    };
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 500);
    const rows = await scoped().orderBy('created_at', 'desc').orderBy('id').limit(limit).select('*');
    // Totals count each movement of money once: a refund shows in its payment's status, and an order,
    // link or authorization that a payment with an amount stands for is that payment (counting both
    // would say twice what was taken).
    const totals: { currency: string; status: string; amount: string | number; count: string | number }[] = await scoped()
      .whereNotNull('currency').whereNotNull('amount').whereNot('object_type', 'refund')
      .whereNotExists((covered) => covered.select(this.knex.raw('1')).from('payments as p2')
        .whereRaw('p2.workspace_id = payments.workspace_id and p2.provider = payments.provider and p2.credential_id = payments.credential_id')
        .andWhere('p2.object_type', 'payment').andWhereRaw("p2.provider_id = payments.related->>'paymentId'").whereNotNull('p2.amount')
        .whereRaw("payments.object_type <> 'payment'"))
      .groupBy('currency', 'status')
      .select('currency', 'status', this.knex.raw('sum(amount)::text as amount'), this.knex.raw('count(*)::int as count'));
    return {
      payments: rows.map(toPayment),
      totals: totals.map((t) => ({
        currency: String(t.currency), status: String(t.status), amount: Number(t.amount), amountText: amountText(Number(t.amount), String(t.currency)), count: Number(t.count),
      })),
    };
  }

  async get(workspaceId: string, id: string): Promise<{ payment: LedgerPayment; history: LedgerHistoryEntry[] } | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const row = await this.knex('payments').where({ workspace_id: workspaceId, id }).first('*');
    if (!row) return undefined;
    const history = await this.knex('payment_history').where({ payment_id: id }).orderBy('id').select('*');
    return {
      payment: toPayment(row),
      history: history.map((h) => ({
        status: String(h.status), source: String(h.source), executionId: h.execution_id ?? null, stepKey: h.step_key ?? null,
        channelEventId: h.channel_event_id ?? null, providerEventId: h.provider_event_id ?? null, applied: Boolean(h.applied), at: new Date(h.at).toISOString(),
      })),
    };
  }
}

const OBJECT_FIELDS = [['orderId', 'order'], ['paymentLinkId', 'payment_link'], ['paymentId', 'payment'], ['refundId', 'refund']] as const;

/** The ledger objects a payment event speaks about (its order, link, payment and refund). */
function objectsOf(recorded: RecordedEvent): PaymentObjectRecord[] {
  const data = recorded.event.data;
  if (!isJsonObject(data) || (data.provider !== 'razorpay' && data.provider !== 'paypal') || typeof data.paymentStatus !== 'string') return [];
  const related: Record<string, string> = {};
  for (const [field] of OBJECT_FIELDS) if (typeof data[field] === 'string') related[field] = data[field] as string;
  const objects: PaymentObjectRecord[] = [];
  for (const [field, objectType] of OBJECT_FIELDS) {
    const providerId = related[field];
    if (!providerId) continue;
    const { [field]: _self, ...others } = related;
    objects.push({
      provider: data.provider, credentialId: recorded.credentialId, objectType, providerId,
      // A refund is refunded when processed; the payment takes the event's status.
      status: objectType === 'refund' ? 'refunded' : data.paymentStatus,
      // A refund event's amount is the refund's; other events' amount is the object's.
      ...((objectType === 'refund') === (typeof data.refundId === 'string') ? amountOf(data) : {}),
      related: others,
    });
  }
  return objects;
}

function amountOf(data: { [key: string]: Json }): { amount?: number; currency?: string } {
  return {
    ...(typeof data.amount === 'number' && Number.isSafeInteger(data.amount) ? { amount: data.amount } : {}),
    ...(typeof data.currency === 'string' ? { currency: data.currency } : {}),
  };
}

/** Minor units as major-unit text; null for an amount or currency the ledger cannot format (a webhook's unknown code). */
function amountText(amount: number | null, currency: string | null): string | null {
  if (amount === null || currency === null || !Number.isSafeInteger(amount) || !Object.hasOwn(CURRENCY_EXPONENTS, currency)) return null;
  return formatMinor(amount, currency);
}

function toPayment(row: Record<string, unknown>): LedgerPayment {
  const amount = row.amount === null ? null : Number(row.amount);
  const currency = (row.currency as string | null) ?? null;
  return {
    id: String(row.id), provider: String(row.provider), credentialId: String(row.credential_id), objectType: String(row.object_type),
    providerId: String(row.provider_id), amount, currency, amountText: amountText(amount, currency),
    status: String(row.status), related: (row.related as Record<string, string>) ?? {},
    flowId: (row.flow_id as string | null) ?? null, executionId: (row.execution_id as string | null) ?? null,
    createdAt: new Date(row.created_at as string).toISOString(), updatedAt: new Date(row.updated_at as string).toISOString(),
  };
}
