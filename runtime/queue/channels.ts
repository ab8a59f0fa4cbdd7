import type { Redis } from 'ioredis';

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
}
