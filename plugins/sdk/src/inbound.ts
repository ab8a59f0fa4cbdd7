import type { Json } from './json.js';
import type { HttpClient, Logger, WaitRequest } from './node.js';

/**
 * The inbound gateway's contract (DESIGN §10, decision 029). A provider's deliveries arrive at one
 * callback URL per connected account (a credential); the credential kind's `inbound` handler says
 * how to answer the provider's handshake, how to verify a delivery over its raw bytes, and how to
 * split it into events with the provider's own ids. The gateway records the events durably,
 * deduplicates them by those ids, answers 2xx, and only then starts the executions of every
 * active flow whose channel trigger (bound to that account) matches the event.
 */

/** A provider's HTTP call to an account's callback URL, as received. Header names are lower-case. */
export interface InboundDelivery {
  method: string;
  /** The account's public callback URL, query string included, as the provider called it (Twilio signs it). */
  url: string;
  headers: Readonly<Record<string, string | undefined>>;
  query: Readonly<Record<string, string>>;
  /** The exact bytes received: signatures are computed over them, never over a re-serialisation. */
  rawBody: Uint8Array;
}

/** The connected account a delivery or a trigger lifecycle call is for. */
export interface InboundAccount {
  credentialId: string;
  /** The credential's decrypted fields. Never log, record or return them. */
  fields: Readonly<Record<string, string>>;
  /**
   * A secret the gateway derives per account from the encryption key (nothing stored; stable across
   * restarts): Telegram's `secret_token`, Meta's verify token. Shown to the user where the provider
   * needs it pasted.
   */
  secret: string;
  /** `SWITCHYARD_PUBLIC_URL` + `/inbound/<credentialId>`: where the provider must deliver. */
  callbackUrl: string;
}

/** A plain HTTP answer to the provider. */
export interface InboundReply {
  status: number;
  /** Default: none. */
  headers?: Record<string, string>;
  /** Default: empty. */
  body?: string;
}

/** A delivery status a status webhook reports for an outbound message. */
export type DeliveryStatus = 'queued' | 'sent' | 'delivered' | 'read' | 'failed';

/** A media attachment, by reference (never the bytes). */
export interface MediaRef {
  /** `image` | `video` | `audio` | `document` | `sticker` | …, as the provider names it. */
  kind: string;
  /** The provider's media id, when it has one. */
  id?: string;
  /** A URL the media can be fetched from, when the provider gives one. */
  url?: string;
  mimeType?: string;
  caption?: string;
  fileName?: string;
}

/** The conversation-facing part of an inbound message event. */
export interface InboundMessage {
  /** The provider's id of this message (WhatsApp `wamid…`, Telegram `chatId:messageId`, Twilio `SM…`, Instagram `mid`). */
  providerMessageId: string;
  /** `text`, `image`, `location`, `interactive`, `reaction`, `postback`, …; `unknown` for types the provider added later. */
  messageType: string;
  text?: string;
  media?: MediaRef[];
  /** The button or list row a contact chose (interactive replies, callback queries, postbacks, quick replies). */
  choice?: { id: string; title?: string };
  /** An email's parts, so the inbox and the chat simulator can show it as one (decision 042). Default: none. */
  email?: EmailContent;
}

/**
 * An email as the conversation store keeps it beside `text` (which holds the subject and the text
 * body together, for history and search). `html` is kept for outbound mail only, and shown by the
 * editor in a sandboxed frame with no scripts, never in its own page.
 */
export interface EmailContent {
  subject: string;
  /** The plain text body. */
  text: string;
  /** The HTML body, when the mail has one. Default: none. */
  html?: string;
}

/** One event of a delivery. */
export interface InboundEvent {
  /**
   * The provider's own id, unique per account: the deduplication key (WhatsApp message id, or
   * `status:<wamid>:<status>` for a status; Telegram `update_id`; Twilio `MessageSid`; Instagram
   * `mid`; IMAP `folder:uidvalidity:uid`). A retry or a replay carries the same id and starts nothing.
   */
  id: string;
  /** What a trigger filters on first. Status updates are `status` and never start message flows. */
  type: 'message' | 'status' | 'comment' | 'callback' | 'edit' | 'reaction' | (string & {});
  /** The person this event is about: the conversation's key on this account. */
  contact?: { id: string; name?: string };
  /** Set on message-like events (message, callback, comment, edit). */
  message?: InboundMessage;
  /** Set on status events. */
  status?: { providerMessageId: string; status: DeliveryStatus; at: number; error?: { code?: string; message: string } };
  /** When the provider says it happened (epoch ms). Default: when it was received. */
  at?: number;
  /**
   * What the trigger emits (after the gateway adds `eventId`, `eventType`, `accountId` and
   * `contact`): the provider's fields in a normalised shape, with the provider's own payload under `raw`.
   */
  data: Json;
}

/** How a credential kind receives deliveries. Every method runs in the web process's hot path: keep them synchronous and cheap. */
export interface InboundHandler {
  /**
   * Answers the provider's subscription handshake (Meta: `GET ?hub.mode=subscribe&hub.verify_token=…
   * &hub.challenge=…` → 200 with exactly the challenge; a wrong token → 403). Returns undefined when
   * the request is not a handshake. Default: no handshake.
   */
  handshake?(delivery: InboundDelivery, account: InboundAccount): InboundReply | undefined;
  /**
   * Verifies the delivery over `rawBody` (constant-time comparison). Returns undefined when valid, or
   * the status (401: missing; 403: wrong) and a reason that names the header, never a secret.
   */
  verify(delivery: InboundDelivery, account: InboundAccount): { status: 401 | 403; reason: string } | undefined;
  /**
   * For providers whose signature only the provider itself can check (PayPal's
   * verify-webhook-signature call): runs after `verify` passed, may call out through `io.http`, and
   * answers like `verify`. A throw (the provider unreachable) refuses the delivery with 401, so the
   * provider retries it later. Default: `verify` alone decides.
   */
  confirm?(delivery: InboundDelivery, account: InboundAccount, io: InboundConfirmContext): Promise<{ status: 401 | 403; reason: string } | undefined>;
  /** Splits a verified delivery into events. Throws {@link InboundPayloadError} naming what is malformed. */
  parse(delivery: InboundDelivery, account: InboundAccount): InboundEvent[];
  /** The 2xx the provider expects once the events are recorded. Default: 200 with an empty body. */
  acknowledge?: InboundReply;
  /**
   * Where the provider needs `account.secret` pasted by hand, its label in the editor (Meta:
   * 'Verify token'). Default: the secret is not shown (Telegram gets it through `register`).
   */
  secretLabel?: string;
  /**
   * How the editor's chat simulator plays a contact of this provider (decision 031): what it types
   * becomes a delivery the provider would make, signed as the provider signs it, that goes through
   * `verify` and `parse` like a real one. Default: the kind's flows cannot be simulated.
   */
  simulator?: InboundSimulator;
}

/** What `InboundHandler.confirm` may use to ask the provider. */
export interface InboundConfirmContext {
  /** The SSRF-guarded client (honours `SWITCHYARD_OUTBOUND_ALLOW`). */
  http: HttpClient;
  /** Aborted when the delivery's time is up. */
  signal: AbortSignal;
}

/** A message the chat simulator sends as its contact (decision 031). */
export interface SimulatedMessage {
  /** The simulated contact: `id` as {@link InboundSimulator.contactId} made it. */
  contact: { id: string; name: string };
  /** Unique per message and the same when the editor sends it again: derive the provider's ids from it, so the gateway's dedupe holds. */
  id: string;
  /** A safe integer derived from `id`, in [2^52, 2^53), for providers whose ids are numbers (Telegram's `update_id`). */
  serial: number;
  /** What the contact typed (absent when they pressed a button). */
  text?: string;
  /** The button or list row the contact pressed, offered by the outbound message `providerMessageId`. */
  choice?: { id: string; title: string; providerMessageId: string };
  /** The subject the contact typed, for channels that have one (email; decision 042). Default: none. */
  subject?: string;
  /** Epoch ms. */
  at: number;
}

/** A provider's HTTP call as the simulator makes it to the account's callback URL. */
export interface SimulatedDelivery {
  /** Default: POST. */
  method?: string;
  /** Lower-case names, the signature among them. */
  headers: Record<string, string>;
  body: string;
}

/** The chat simulator's part of an inbound handler (`InboundHandler.simulator`). */
export interface InboundSimulator {
  /**
   * A contact id of the provider's shape (so send nodes accept it) from `serial`, a safe integer in
   * [2^52, 2^53) drawn per simulator session. Prefer ids no real contact can have (Telegram ids have
   * at most 52 bits; phone numbers from ranges reserved for fiction). The gateway draws again when
   * the id is already a real contact of the account.
   */
  contactId(serial: number): string;
  /** The delivery the provider would make for `message`, signed for `account` (pure; never calls out). */
  deliver(account: InboundAccount, message: SimulatedMessage): SimulatedDelivery;
}

/** A delivery that is not what the provider sends: answered 400 with this message, nothing recorded. */
export class InboundPayloadError extends Error {
  override name = 'InboundPayloadError';
}

/** What a trigger's lifecycle hooks and a poller get. */
export interface TriggerLifecycleContext {
  account: InboundAccount;
  /** The SSRF-guarded client (honours `SWITCHYARD_OUTBOUND_ALLOW`). */
  http: HttpClient;
  log: Logger;
  signal: AbortSignal;
}

/** The thread a person replies in (`CredentialKindDefinition.replyText`'s fourth argument, decision 047). */
export interface InboxReplyThread {
  /** The contact's latest message on this account, when there is one (an email reply answers it). */
  lastInbound?: { providerMessageId: string; email?: EmailContent };
}

/** What a person's reply from the inbox goes through (`CredentialKindDefinition.replyText`). */
export interface InboxReplyContext extends TriggerLifecycleContext {
  /** The shared rate limit, as `ChannelCapabilities.acquire` (e.g. `telegram:<credentialId>` at 30/s). */
  acquire(key: string, perSecond: number): Promise<void>;
}

/** A trigger that starts on its account's events (declared as `trigger: { kind: 'channel', channel: … }`). */
export interface ChannelTrigger<P> {
  /** The credential slot naming the account whose events start this trigger. */
  account: string;
  /** Whether `event` starts this trigger with these props (event type, message type, keyword/regex). */
  matches(event: InboundEvent, props: P): boolean;
  /**
   * Whether the trigger skips contacts a person has taken over in the inbox (from props, e.g. a
   * "pause when a human takes over" checkbox). Default: true.
   */
  honoursHandoff?(props: P): boolean;
  /**
   * Registers the account's callback with the provider on activation (Telegram `setWebhook` with
   * `secret_token` = `account.secret`). A throw refuses the activation with its message.
   */
  register?(ctx: TriggerLifecycleContext, props: P): Promise<void>;
  /** Undoes `register` on deactivation when no other active flow listens to the account. */
  unregister?(ctx: TriggerLifecycleContext, props: P): Promise<void>;
  /**
   * For sources without webhooks (IMAP, Instagram comments): called every `intervalMs` while the
   * flow is active, with the durable cursor it returned last time (null at first). Events go through
   * the same record → dedupe → dispatch path as webhook deliveries.
   */
  poll?: {
    /** Milliseconds between polls. */
    intervalMs(props: P): number;
    run(ctx: TriggerLifecycleContext, props: P, cursor: Json | null): Promise<{ events: InboundEvent[]; cursor: Json }>;
    /**
     * How the editor's chat simulator plays a contact of this polling source (decision 042): what it
     * types becomes one event, as `run` would have returned it, that the gateway records, dedupes
     * and dispatches as a polled one. Default: flows starting here cannot be simulated.
     */
    simulator?: PollSimulator<P>;
  };
}

/** The chat simulator's part of a polling trigger (`ChannelTrigger.poll.simulator`, decision 042). */
export interface PollSimulator<P> {
  /** As {@link InboundSimulator.contactId}: a contact id of the source's shape that no real contact can have. */
  contactId(serial: number): string;
  /**
   * The event `run` would return for `message` (its id derived from `message.id`, so the same message
   * sent again is one event; never an id a real item can have). Must not call out.
   */
  event(account: InboundAccount, props: P, message: SimulatedMessage): Promise<InboundEvent>;
}

/** One stored conversation message, as the Conversation history node and the inbox read it. */
export interface ConversationMessage {
  direction: 'in' | 'out';
  text: string | null;
  messageType: string;
  at: string;
  status: DeliveryStatus | 'received';
  providerMessageId: string | null;
  media?: MediaRef[];
}

/** An outbound message as a send node records it after the provider accepted it. */
export interface OutboundMessageRecord {
  /** The account (credential id) it was sent from. */
  credentialId: string;
  contactId: string;
  providerMessageId: string;
  messageType: string;
  text?: string;
  media?: MediaRef[];
  /** Buttons or list rows offered, so the inbox and the chat simulator can render them. */
  choices?: { id: string; title: string }[];
  /** An email's subject and bodies (decision 042). Default: none. */
  email?: EmailContent;
  /** Default: 'sent'. */
  status?: DeliveryStatus;
}

/**
 * What channel nodes get as `ctx.channels` (built-in nodes; undefined where the runtime offers no
 * conversation store). Every method is scoped to the execution's workspace.
 */
export interface ChannelCapabilities {
  /**
   * Stores an outbound message in its conversation (idempotent by provider message id) and links it
   * to this step. The runtime may write it with the step's own commit (decision 044): a read of the
   * store in the same step may not see it yet.
   */
  recordOutbound(message: OutboundMessageRecord): Promise<void>;
  /** The last `limit` messages with the contact on that account, oldest first. */
  history(credentialId: string, contactId: string, limit: number): Promise<ConversationMessage[]>;
  /** Whether a person has taken over the contact in the inbox (automation paused). */
  isPaused(credentialId: string, contactId: string): Promise<boolean>;
  /** Marks the contact as having blocked the account (Telegram 403 and the like). */
  markBlocked(credentialId: string, contactId: string): Promise<void>;
  /**
   * Parks the execution until the contact's next message on that account (or `timeoutMs`): `return
   * ctx.channels.waitForReply(…)`. On resume, `ctx.resumed` is `{ kind: 'event', payload: <the
   * trigger-shaped event> }` or `{ kind: 'timer' }`. With several executions waiting on one contact,
   * the oldest wait gets the message.
   */
  waitForReply(credentialId: string, contactId: string, timeoutMs: number): WaitRequest;
  /**
   * Waits for a slot in a shared (Redis) rate limit: at most `perSecond` sends per `key` across all
   * workers (e.g. `telegram:<credentialId>` at 30, `telegram:<credentialId>:<chatId>` at 1).
   */
  acquire(key: string, perSecond: number, signal: AbortSignal): Promise<void>;
  /**
   * Whether the contact is played by the editor's chat simulator (decision 031): a send to them must
   * not reach the provider — record it with `recordOutbound` (a made-up provider id) and answer as
   * the provider would. Undefined where the runtime has no simulator: every contact is real.
   */
  isSimulated?(credentialId: string, contactId: string): Promise<boolean>;
  /**
   * For channels that send through another account than they receive on (email: SMTP out, IMAP in;
   * decision 042): which of `contactIds` the chat simulator plays, each mapped to the account (the
   * credential id) whose simulator plays it — record what is sent to them there with
   * `recordOutbound` and do not send it. Contacts absent from the map are real. Undefined where the
   * runtime has no simulator.
   */
  simulatedAccounts?(contactIds: readonly string[]): Promise<Map<string, string>>;
  /**
   * Small records that expire, shared by every execution of the workspace: what one flow leaves for
   * another within minutes (a one-time code's salted hash, its attempt count, a resend cooldown).
   * Kept in Redis, so as durable as the queue; never put a secret in clear. Undefined where the
   * runtime offers none.
   */
  shortLived?: ShortLivedStore;
}

/** Expiring JSON records scoped to the execution's workspace (`ChannelCapabilities.shortLived`). */
export interface ShortLivedStore {
  /** Stores `value` under `key` for `ttlMs`. With `onlyIfAbsent`, only when nothing is stored there. Returns whether it stored. */
  put(key: string, value: Json, ttlMs: number, options?: { onlyIfAbsent?: boolean }): Promise<boolean>;
  /** The value under `key`, or null when there is none (or it expired). */
  get(key: string): Promise<Json | null>;
  /** Milliseconds until `key` expires, or null when there is nothing under it. */
  ttl(key: string): Promise<number | null>;
  /** Adds 1 to the counter under `key` (created at 1 with `ttlMs` to live) and returns the new count, atomically. */
  increment(key: string, ttlMs: number): Promise<number>;
  /** Removes `key`; true when something was there (of two callers racing to take a record, exactly one gets true). */
  delete(key: string): Promise<boolean>;
}
