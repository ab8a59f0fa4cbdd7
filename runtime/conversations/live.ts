import type { Logger } from 'pino';
import type { Channels } from '../queue/channels.js';
import type { ConversationChange, ConversationChangeKind } from '../services/types.js';

export interface ConversationFeedOptions {
  channels: Channels;
  log: Logger;
  /** How long a change may wait for others to share its message. Default: 100 ms. */
  windowMs?: number;
  /** Threads named in one message at most; beyond it the message says `truncated`. Default: 100. */
  maxThreads?: number;
}

/**
 * Live changes of the conversation inbox (issue 12): which threads got a message, a delivery
 * status, a pause or resume, a block or a read, published on a Redis channel of their workspace
 * so every process's open inboxes hear what any process recorded (the web process's gateway
 * dispatch, workers' send steps, the inbox's own replies).
 *
 * Only ids and kinds travel, never the rows: a message costs a few bytes however large the
 * thread, nothing private rides in Redis, and the page reads what it shows through the same
 * workspace-scoped API as always (so a missed or late message only delays a refetch).
 * Changes wait up to `windowMs` and leave as one message per workspace per window: a burst of
 * hundreds of messages a second costs ten publishes, not hundreds (the store's per-message
 * budget is well under a millisecond).
 */
export class ConversationFeed {
  private readonly pending = new Map<string, Map<string, Set<ConversationChangeKind>>>();
  private readonly truncated = new Set<string>();
  private timer?: NodeJS.Timeout;
  private readonly windowMs: number;
  private readonly maxThreads: number;

  constructor(private readonly options: ConversationFeedOptions) {
    this.windowMs = options.windowMs ?? 100;
    this.maxThreads = options.maxThreads ?? 100;
  }

  /** Each workspace has its own channel: Redis delivers a workspace's changes only to processes watching it. */
  channel(workspaceId: string): string {
    return this.options.channels.name(`conversations:${workspaceId}`);
  }

  /** Notes that a thread (a contact row id) changed; sent within the window. Never throws. */
  changed(workspaceId: string, threadId: string | null | undefined, kind: ConversationChangeKind): void {
    if (!threadId) return;
    let threads = this.pending.get(workspaceId);
    if (!threads) {
      threads = new Map();
      this.pending.set(workspaceId, threads);
    }
    const kinds = threads.get(threadId);
    if (kinds) kinds.add(kind);
    else if (threads.size < this.maxThreads) threads.set(threadId, new Set([kind]));
    else this.truncated.add(workspaceId);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.windowMs);
  }

  /** Sends what waits now (the window's end, closing). */
  flush(): void {
    if (this.pending.size === 0) return;
    const messages: [string, string][] = [];
    for (const [workspaceId, threads] of this.pending) {
      const change: ConversationChange = {
        threads: [...threads].map(([id, kinds]) => ({ id, changes: [...kinds] })),
        ...(this.truncated.has(workspaceId) ? { truncated: true } : {}),
      };
      messages.push([this.channel(workspaceId), JSON.stringify(change)]);
    }
    this.pending.clear();
    this.truncated.clear();
    // A lost notice delays an inbox's refresh (it refetches on reconnect); it must never fail a write.
    this.options.channels.publishAll(messages)
      .catch((error: unknown) => this.options.log.warn({ err: error }, 'could not publish conversation changes'));
  }

  /** Calls `listener` with each change of the workspace's threads, from any process. Returns the unsubscribe. */
  watch(workspaceId: string, listener: (change: ConversationChange) => void): Promise<() => Promise<void>> {
    return this.options.channels.subscribe(this.channel(workspaceId), (message) => {
      let change: ConversationChange;
      try {
        change = JSON.parse(message) as ConversationChange;
      } catch {
        return;
      }
      // One watcher's failure (a closed response) must not keep the change from the others.
      try {
        listener(change);
      } catch (error) {
        this.options.log.warn({ err: error }, 'a conversation watcher failed');
      }
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flush();
  }
}
