import type { Logger } from 'pino';
import {
  InboundPayloadError, type HttpClient, type InboundAccount, type InboundDelivery, type InboundEvent, type InboundHandler, type InboundReply,
} from '@switchyard/sdk';
import { AppError, NotFoundError } from '../errors.js';
import type { ChannelDelivery, ChannelAnswer } from '../services/types.js';
import type { AccountCache } from './accounts.js';
import type { Dispatcher } from './dispatch.js';
import { eventProblem, type EventRecorder } from './events.js';

export interface ReceiveDeps {
  recorder: EventRecorder;
  accounts: AccountCache;
  dispatcher: Dispatcher;
  log: Logger;
  /** `SWITCHYARD_PUBLIC_URL`: the delivery's URL as the provider called it (Twilio signs it). */
  publicUrl: string;
  /** The outbound client a handler's `confirm` asks its provider through (PayPal). */
  http: HttpClient;
}

/** How long a handler's `confirm` may take before the delivery is refused (the provider retries). */
const CONFIRM_TIMEOUT_MS = 10_000;

const ACKNOWLEDGED: InboundReply = { status: 200 };

/**
 * One delivery to `/inbound/<credentialId>` (decision 029), in this order: the provider's handshake
 * (if it is one); the signature over the raw bytes (401/403, nothing recorded); the handler's parse
 * (400 naming the problem, nothing recorded); every event recorded in one statement, deduplicated by
 * provider id; the handler's acknowledgement; and only then, not awaited, dispatch of the new events.
 * Nothing here decrypts or queries per delivery but the insert (shared with concurrent deliveries).
 */
export async function receive(deps: ReceiveDeps, delivery: ChannelDelivery): Promise<ChannelAnswer> {
  const found = await deps.accounts.get(delivery.credentialId);
  if (!found) throw new NotFoundError('inbound account', delivery.credentialId);
  const { handler, account } = found;
  const inbound: InboundDelivery = {
    method: delivery.method.toUpperCase(), url: deps.publicUrl + delivery.pathAndQuery,
    headers: delivery.headers, query: delivery.query, rawBody: delivery.rawBody,
  };
  const shake = safely(() => handler.handshake?.(inbound, account), (error) => {
    deps.log.warn({ err: error, credentialId: delivery.credentialId, deliveryId: delivery.deliveryId }, 'an inbound handler\'s handshake threw');
    return { status: 400, body: 'malformed handshake' };
  });
  if (shake) return answer(shake);
  const refused = safely(() => handler.verify(inbound, account), (error) => {
    deps.log.error({ err: error, credentialId: delivery.credentialId, deliveryId: delivery.deliveryId }, 'an inbound handler\'s verify threw');
    return { status: 403 as const, reason: 'the signature could not be checked' };
  }) ?? (handler.confirm ? await confirm(deps, handler.confirm.bind(handler), inbound, account, delivery) : undefined);
  if (refused) {
    throw new AppError(refused.status, refused.status === 401 ? 'missing_signature' : 'invalid_signature', refused.reason);
  }
  let events: InboundEvent[];
  try {
    events = handler.parse(inbound, account);
  } catch (error) {
    const message = error instanceof InboundPayloadError ? error.message : `the delivery could not be read: ${error instanceof Error ? error.message : String(error)}`;
    deps.log.warn({ credentialId: delivery.credentialId, deliveryId: delivery.deliveryId, problem: message }, 'malformed inbound delivery refused');
    throw new AppError(400, 'invalid_payload', message, [{ deliveryId: delivery.deliveryId }]);
  }
  const problem = eventProblem(events);
  if (problem) {
    deps.log.warn({ credentialId: delivery.credentialId, deliveryId: delivery.deliveryId, problem }, 'malformed inbound delivery refused');
    throw new AppError(400, 'invalid_payload', problem, [{ deliveryId: delivery.deliveryId }]);
  }
  const recorded = await deps.recorder.record({ workspaceId: found.workspaceId, credentialId: delivery.credentialId, channel: found.kind }, events);
  deps.dispatcher.enqueue(recorded);
  return answer(handler.acknowledge ?? ACKNOWLEDGED);
}

/** The handler's call to its provider; unreachable or slow → 401, so the provider delivers again later. */
async function confirm(
  deps: ReceiveDeps, run: NonNullable<InboundHandler['confirm']>, inbound: InboundDelivery, account: InboundAccount, delivery: ChannelDelivery,
): Promise<{ status: 401 | 403; reason: string } | undefined> {
  const signal = AbortSignal.timeout(CONFIRM_TIMEOUT_MS);
  try {
    return await run(inbound, account, { http: deps.http, signal });
  } catch (error) {
    deps.log.warn({ err: error, credentialId: delivery.credentialId, deliveryId: delivery.deliveryId }, 'an inbound handler could not confirm a delivery with its provider');
    return { status: 401, reason: 'the signature could not be confirmed with the provider now; it will deliver again' };
  }
}

function answer(reply: InboundReply): ChannelAnswer {
  return { status: reply.status, headers: reply.headers ?? {}, body: reply.body ?? '' };
}

function safely<T>(run: () => T, onThrow: (error: unknown) => T): T {
  try {
    return run();
  } catch (error) {
    return onThrow(error);
  }
}
