import type { Redis } from 'ioredis';
import type { WebhookResponse } from '@switchyard/sdk';

type Handler = (message: string) => void;

/**
 * Redis pub/sub for what must reach every process now: cancels (to the worker running the
 * execution), sync webhook replies (to the web process that waits), execution status events and
 * webhook-route changes. One subscriber connection per process, many handlers.
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

  name(kind: 'cancel' | 'events' | 'webhooks' | `reply:${string}`): string {
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

  async publish(channel: string, message: string): Promise<void> {
    await this.publisher.publish(channel, message);
  }

  /** Publishes several messages in one round trip (one write, one wake-up of Redis). */
  async publishAll(messages: ReadonlyArray<readonly [channel: string, message: string]>): Promise<void> {
    if (messages.length === 1) return this.publish(...messages[0]!);
    const pipeline = this.publisher.pipeline();
    for (const [channel, message] of messages) pipeline.publish(channel, message);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error);
    if (failed?.[0]) throw failed[0];
  }
}

/** A sync webhook's answer on the waiting web process's reply channel. */
export interface ReplyMessage {
  executionId: string;
  response: WebhookResponse;
}

export function encodeReply(executionId: string, response: WebhookResponse): string {
  return JSON.stringify({ executionId, response } satisfies ReplyMessage);
}
