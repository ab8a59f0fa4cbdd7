import type { Redis } from 'ioredis';
import type { WebhookResponse } from '@switchyard/sdk';

type Handler = (message: string) => void;

/** ARGV: channel, message, channel, message, … */
const PUBLISH_ALL = `for i = 1, #ARGV, 2 do redis.call('publish', ARGV[i], ARGV[i + 1]) end return #ARGV / 2`;

/**
 * Redis pub/sub for what must reach every process now: cancels (to the worker running the
 * execution), sync webhook replies (to the web process that waits), execution status events,
 * webhook-route changes, credential edits and each workspace's inbox changes. One subscriber
 * connection per process, many handlers.
 */
export class Channels {
  private readonly handlers = new Map<string, Set<Handler>>();

  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    readonly prefix: string,
  ) {
    subscriber.on('message', (channel: string, message: string) => {
      for (const handler of this.handlers.get(channel) ?? []) handler(message);
    });
  }

  name(kind: 'cancel' | 'events' | 'webhooks' | 'credentials' | `reply:${string}` | `conversations:${string}`): string {
    return `${this.prefix}:ch:${kind}`;
  }

  async subscribe(channel: string, handler: Handler): Promise<() => Promise<void>> {
    let set = this.handlers.get(channel);
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
      await this.subscriber.subscribe(channel);
    }
    set.add(handler);
    return async () => {
      set.delete(handler);
      if (set.size === 0) {
        this.handlers.delete(channel);
        await this.subscriber.unsubscribe(channel);
      }
    };
  }

  /** Where a large answer to a sync webhook waits for the web process (see {@link INLINE_REPLY_MAX_CHARS}). */
  replyKey(executionId: string): string {
    return `${this.prefix}:reply:${executionId}`;
  }

  /**
   * The message that answers a sync webhook caller. A large answer is written under its key first,
   * and the message, published later on the same connection, cannot overtake that write.
   */
  encodeReply(executionId: string, response: WebhookResponse): string {
    const inline = JSON.stringify({ executionId, response } satisfies ReplyMessage);
    if (inline.length <= INLINE_REPLY_MAX_CHARS) return inline;
    // Not awaited, like the publish that follows it: if it fails, the pointer finds nothing and the
    // caller gets the 202 with the execution id, as for any answer that does not arrive.
    this.publisher.set(this.replyKey(executionId), inline, 'PX', PARKED_REPLY_TTL_MS).catch(() => undefined);
    return JSON.stringify({ executionId, stored: true } satisfies ReplyMessage);
  }

  /** An answer's message as published: inline, or a pointer to {@link takeParkedReply}. */
  readReply(message: string): ReplyMessage {
    return JSON.parse(message) as ReplyMessage;
  }

  /** Fetches and removes a parked answer; undefined when it is gone (expired, or its write failed). */
  async takeParkedReply(executionId: string): Promise<WebhookResponse | undefined> {
    const parked = await this.publisher.getdel(this.replyKey(executionId));
    return parked ? (JSON.parse(parked) as { response: WebhookResponse }).response : undefined;
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(channel, message);
  }

  /**
   * Publishes several messages in one round trip (one write, one wake-up of Redis). A tiny script
   * rather than an ioredis pipeline: building a pipeline copies every script BullMQ defined on the
   * connection, which profiled at 8% of the worker's CPU.
   */
  async publishAll(messages: ReadonlyArray<readonly [channel: string, message: string]>): Promise<void> {
    if (messages.length === 1) return this.publish(...messages[0]!);
    await this.publisher.eval(PUBLISH_ALL, 0, ...messages.flat());
  }
}

/**
 * A sync webhook's answer on the waiting web process's reply channel: inline, or — when large —
 * parked under {@link Channels.replyKey} with only a pointer in the message.
 */
export type ReplyMessage =
  | { executionId: string; response: WebhookResponse; stored?: undefined }
  | { executionId: string; stored: true };

/**
 * Answers longer than this (in characters of JSON) are parked under a key instead of riding in the
 * message. Redis disconnects a subscriber whose unread pub/sub output passes 32 MB (its default
 * `client-output-buffer-limit pubsub`), and every reply in flight to that web process would be
 * lost with the connection.
 */
export const INLINE_REPLY_MAX_CHARS = 256 * 1024;

/** How long a parked answer waits for its web process (which takes it at once). */
const PARKED_REPLY_TTL_MS = 120_000;
