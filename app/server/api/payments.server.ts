import { z } from 'zod';
import { NotFoundError } from '../../../runtime/errors.js';
import { refundInput } from '../../../runtime/index.js';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'payments';

const isoDate = z.string().max(40).refine((v) => !Number.isNaN(Date.parse(v)), 'an ISO date, like 2026-12-01 or 2026-12-01T10:00:00Z');

export const paymentListQuery = z.object({
  /** created | authorized | captured | partially_refunded | refunded | failed | expired | voided. */
  status: z.enum(['created', 'authorized', 'captured', 'partially_refunded', 'refunded', 'failed', 'expired', 'voided']).optional(),
  /** razorpay | paypal. */
  provider: z.enum(['razorpay', 'paypal']).optional(),
  /** Only objects created by this flow's steps. */
  flowId: z.string().min(1).max(200).optional(),
  /** Created at or after (ISO). */
  from: isoDate.optional(),
  /** Created at or before (ISO). */
  to: isoDate.optional(),
  /** At most 500. Default: 100. */
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

/** The payments ledger (decision 034). */
export const paymentRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/payments', tag, query: paymentListQuery,
    summary: 'Payment objects of the workspace, newest first (provider ids, amount in minor units, currency, status, flow and execution), with totals per currency and status' },
  async ({ runtime, principal, query }) => ({ body: await runtime.payments.list(principal.workspaceId, query) })),

  defineRoute({ method: 'get', path: '/payments/:id', tag, params: idParams,
    summary: 'One payment object with its status history: each step or webhook delivery that spoke about it, and whether it moved the status' },
  async ({ runtime, principal, params }) => {
    const found = await runtime.payments.get(principal.workspaceId, params.id);
    if (!found) throw new NotFoundError('payment', params.id);
    return { body: found };
  }),

  defineRoute({ method: 'post', path: '/payments/:id/refund', tag, params: idParams, body: refundInput,
    summary: 'Refund a captured payment in full or in part through its provider (the same logic as the refund nodes); the same idempotencyKey returns the same refund' },
  async ({ runtime, principal, params, body }) => ({ body: await runtime.payments.refund(principal.workspaceId, params.id, body) })),
];
