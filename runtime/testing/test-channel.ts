import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  defineCredentialKind, defineNode, InboundPayloadError, NonRetryableError, ui,
  type DeliveryStatus, type InboundEvent, type Json,
} from '@switchyard/sdk';

/**
 * A small but real channel for the gateway's tests (no provider's code needed): a credential kind
 * whose deliveries are JSON `{ "events": [...] }` signed with HMAC-SHA256 of the raw body under the
 * account's `secret` (hex, header `x-test-signature`), a Meta-style handshake, and trigger, poll and
 * send-and-wait nodes that use the gateway's contract exactly as providers do.
 */

/** What the trigger's lifecycle hooks did, for assertions. */
export const lifecycleCalls: { hook: 'register' | 'unregister'; credentialId: string; callbackUrl: string; secret: string }[] = [];

export function sign(secret: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** One event of a test delivery, as the "provider" sends it. */
export interface WireEvent {
  id: string;
  type: 'message' | 'status' | 'callback' | 'edit' | (string & {});
  from?: string;
  name?: string;
  text?: string;
  /** The message id (message events) or the outbound message a status is about. */
  mid?: string;
  choice?: string;
  status?: DeliveryStatus;
  at?: number;
}

const wireEvent = z.object({
  id: z.string().min(1), type: z.string().min(1), from: z.string().optional(), name: z.string().optional(), text: z.string().optional(),
  mid: z.string().optional(), choice: z.string().optional(), status: z.enum(['queued', 'sent', 'delivered', 'read', 'failed']).optional(),
  at: z.number().optional(),
});

function toEvent(wire: z.infer<typeof wireEvent>): InboundEvent {
  const contact = wire.from ? { id: wire.from, ...(wire.name ? { name: wire.name } : {}) } : undefined;
  if (wire.type === 'status') {
    if (!wire.mid || !wire.status) throw new InboundPayloadError(`status event "${wire.id}" needs "mid" and "status"`);
    return { id: wire.id, type: 'status', contact, status: { providerMessageId: wire.mid, status: wire.status, at: wire.at ?? Date.now() }, data: { mid: wire.mid } };
  }
  const data: Json = { text: wire.text ?? null, from: wire.from ?? null, raw: { ...wire } };
  return {
    id: wire.id, type: wire.type, contact,
    message: {
      providerMessageId: wire.mid ?? wire.id, messageType: wire.choice ? 'interactive' : 'text',
      ...(wire.text !== undefined ? { text: wire.text } : {}), ...(wire.choice ? { choice: { id: wire.choice } } : {}),
    },
    data,
  };
}

export const testChatKind = defineCredentialKind({
  kind: 'test-chat',
  title: 'Test chat',
  schema: z.object({
    secret: ui(z.string().min(1), { title: 'Signing secret', secret: true }),
    /** `yes`: the provider refuses the registration. */
    refuseRegistration: z.string().optional(),
    /** Where the inbox's replies go (a local fake). */
    baseUrl: z.string().optional(),
  }),
  inbound: {
    handshake(delivery, account) {
      if (delivery.method !== 'GET' || delivery.query['hub.mode'] !== 'subscribe') return undefined;
      return delivery.query['hub.verify_token'] === account.secret
        ? { status: 200, headers: { 'content-type': 'text/plain' }, body: delivery.query['hub.challenge'] ?? '' }
        : { status: 403, body: 'verify token mismatch' };
    },
    verify(delivery, account) {
      const given = delivery.headers['x-test-signature'];
      if (!given) return { status: 401, reason: 'the x-test-signature header is missing' };
      const expected = Buffer.from(sign(account.fields.secret ?? '', Buffer.from(delivery.rawBody)));
      const actual = Buffer.from(given);
      return actual.length === expected.length && timingSafeEqual(actual, expected) ? undefined : { status: 403, reason: 'the x-test-signature header does not match the body' };
    },
    parse(delivery) {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.from(delivery.rawBody).toString('utf8'));
      } catch {
        throw new InboundPayloadError('the body is not JSON');
      }
      const parsed = z.object({ events: z.array(wireEvent) }).safeParse(body);
      if (!parsed.success) throw new InboundPayloadError(`"events" is missing or malformed: ${parsed.error.issues[0]?.message ?? ''}`);
      return parsed.data.events.map(toEvent);
    },
    acknowledge: { status: 200, body: 'EVENT_RECEIVED' },
    secretLabel: 'Verify token',
    simulator: {
      contactId: (serial) => `sim-${serial}`,
      deliver(account, message) {
        const event: WireEvent = {
          id: message.id, type: message.choice ? 'callback' : 'message', from: message.contact.id, name: message.contact.name,
          mid: `sim:${message.id}`, at: message.at,
          ...(message.choice ? { choice: message.choice.id, text: message.choice.title } : { text: message.text ?? '' }),
        };
        const body = JSON.stringify({ events: [event] });
        return { headers: { 'content-type': 'application/json', 'x-test-signature': sign(account.fields.secret ?? '', body) }, body };
      },
    },
  },
  async replyText(ctx, contactId, text) {
    await ctx.acquire(`test-chat:${ctx.account.credentialId}`, 50);
    const response = await ctx.http.request({
      url: `${ctx.account.fields.baseUrl}/send`, method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: contactId, text }), signal: ctx.signal,
    });
    if (response.status !== 200) throw new Error(`send failed with ${response.status}: ${response.text()}`);
    const answer = response.json() as { id: string };
    return { providerMessageId: answer.id };
  },
});

const triggerProps = z.object({
  /** Default: message and callback. */
  events: z.array(z.enum(['message', 'status', 'callback', 'edit'])).default(['message', 'callback']),
  keyword: z.string().optional(),
  /** Default: true. */
  pauseOnHandoff: z.boolean().default(true),
});

export const testChatTrigger = defineNode({
  type: 'testchat.trigger', version: 1, title: 'Test chat trigger', category: 'Channels', description: 'Starts on a test chat event',
  props: triggerProps,
  credentials: { account: { kind: 'test-chat' } },
  ports: { in: [], out: ['main'] },
  sideEffects: false,
  trigger: {
    kind: 'channel',
    channel: {
      account: 'account',
      matches: (event, props) => (props.events as string[]).includes(event.type) && (!props.keyword || (event.message?.text ?? '').includes(props.keyword)),
      honoursHandoff: (props) => props.pauseOnHandoff,
      async register(ctx) {
        lifecycleCalls.push({ hook: 'register', credentialId: ctx.account.credentialId, callbackUrl: ctx.account.callbackUrl, secret: ctx.account.secret });
        if (ctx.account.fields.refuseRegistration === 'yes') throw new Error(`Bad Request: bad webhook: token ${ctx.account.fields.secret} rejected`);
      },
      async unregister(ctx) {
        lifecycleCalls.push({ hook: 'unregister', credentialId: ctx.account.credentialId, callbackUrl: ctx.account.callbackUrl, secret: ctx.account.secret });
      },
    },
  },
  run: (_ctx, input) => ({ main: input }),
});

/** A poller over a local fake's `GET /items?after=<cursor>` → `{ items: [{ id, text, from }] }`. */
export const testChatPoll = defineNode({
  type: 'testchat.poll', version: 1, title: 'Test chat poll', category: 'Channels', description: 'Polls a test feed',
  props: z.object({ url: z.string() }),
  credentials: { account: { kind: 'test-chat' } },
  ports: { in: [], out: ['main'] },
  sideEffects: false,
  trigger: {
    kind: 'channel',
    channel: {
      account: 'account',
      matches: () => true,
      poll: {
        intervalMs: () => 1_000,
        async run(ctx, props, cursor) {
          const after = typeof cursor === 'number' ? cursor : 0;
          const response = await ctx.http.request({ url: `${props.url}/items?after=${after}`, signal: ctx.signal });
          if (response.status !== 200) throw new Error(`feed answered ${response.status}`);
          const items = (response.json() as { items: { id: number; text: string; from: string }[] }).items;
          const events: InboundEvent[] = items.map((item) => ({
            id: `item:${item.id}`, type: 'message', contact: { id: item.from },
            message: { providerMessageId: `item:${item.id}`, messageType: 'text', text: item.text }, data: { text: item.text, itemId: item.id },
          }));
          return { events, cursor: items.reduce((max, item) => Math.max(max, item.id), after) };
        },
      },
    },
  },
  run: (_ctx, input) => ({ main: input }),
});

/** Sends a text (recorded as outbound), then waits for the contact's reply or the timeout. */
export const testChatAsk = defineNode({
  type: 'testchat.ask', version: 1, title: 'Ask', category: 'Channels', description: 'Send and wait for a reply',
  props: z.object({ text: z.string().default('?'), timeoutMs: z.number().int().min(1).default(60_000) }),
  credentials: { account: { kind: 'test-chat' } },
  ports: { in: ['main'], out: ['reply', 'timeout'] },
  async run(ctx, input, props) {
    if (ctx.resumed?.kind === 'event') return { reply: ctx.resumed.payload };
    if (ctx.resumed) return { timeout: input };
    const channels = ctx.channels;
    if (!channels) throw new NonRetryableError('no conversation store');
    const credentialId = ctx.credentials.account.id!;
    const contactId = String((input as { contact?: { id?: string } }).contact?.id);
    await channels.recordOutbound({ credentialId, contactId, providerMessageId: `out:${ctx.idempotencyKey}`, messageType: 'text', text: props.text });
    return channels.waitForReply(credentialId, contactId, props.timeoutMs);
  },
});

/**
 * Records each of `texts` as an outbound message to whoever wrote (one step, several records), from
 * the step's account or from `fromAccount` when set.
 */
export const testChatSay = defineNode({
  type: 'testchat.say', version: 1, title: 'Say', category: 'Channels', description: 'Send texts',
  props: z.object({ texts: z.array(z.string()).default([]), fromAccount: z.string().optional() }),
  credentials: { account: { kind: 'test-chat' } },
  ports: { in: ['main'], out: ['main'] },
  async run(ctx, input, props) {
    const channels = ctx.channels;
    if (!channels) throw new NonRetryableError('no conversation store');
    const credentialId = props.fromAccount ?? ctx.credentials.account.id!;
    const contactId = String((input as { contact?: { id?: string } }).contact?.id);
    for (const [k, text] of props.texts.entries()) {
      await channels.recordOutbound({ credentialId, contactId, providerMessageId: `out:${ctx.idempotencyKey}:${k}`, messageType: 'text', text });
    }
    return { main: input };
  },
});

export const testChatNodes = [testChatTrigger, testChatPoll, testChatAsk, testChatSay];
