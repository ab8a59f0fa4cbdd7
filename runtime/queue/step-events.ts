import type { Logger } from 'pino';
import type { ExecutionEvent } from '../services/types.js';
import type { Channels } from './channels.js';

type StepEvent = Extract<ExecutionEvent, { type: 'step' }>;
type StatusEvent = Extract<ExecutionEvent, { type: 'status' }>;

/** What waits in the window for one execution: its steps' latest events, then its final status. */
interface PendingEvents {
  steps: Map<string, StepEvent>;
  status?: StatusEvent;
}

export interface StepEventBatcherOptions {
  channels: Channels;
  log: Logger;
  /** How long a step event may wait for others to share its message. Default: 25 ms. */
  windowMs?: number;
}

/**
 * Live step events of watched runs, sent in batches. A loop over thousands of items produces two
 * events per step; one Redis message each cost a 90,000-step manual run 6 s of worker CPU and
 * 400 MB of queued commands. Events wait up to `windowMs` and leave as one JSON array per window;
 * a step's later event replaces its earlier one in the same window (a step that started and
 * finished shows as finished), and the order of first appearance is kept.
 *
 * {@link flush} sends an execution's events at once: the worker calls it before publishing the
 * execution's status, on the same connection, so a watcher never sees a final status before the
 * steps that led to it.
 *
 * The final status of a run that nobody watches live and no caller waits on with a connection open
 * (a channel message's run) rides in the window too, after its steps: at hundreds of messages a
 * second that is one Redis message per window instead of one per run (bench/channels.ts).
 */
export class StepEventBatcher {
  private readonly pending = new Map<string, PendingEvents>();
  private timer?: NodeJS.Timeout;
  private readonly windowMs: number;

  constructor(private readonly options: StepEventBatcherOptions) {
    this.windowMs = options.windowMs ?? 25;
  }

  push(event: StepEvent | StatusEvent): void {
    let waiting = this.pending.get(event.executionId);
    if (!waiting) {
      waiting = { steps: new Map() };
      this.pending.set(event.executionId, waiting);
    }
    if (event.type === 'step') waiting.steps.set(event.stepKey, event);
    else waiting.status = event;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flushAll();
    }, this.windowMs);
  }

  /** Sends what waits for one execution now (before its status event). */
  flush(executionId: string): void {
    const waiting = this.pending.get(executionId);
    if (!waiting) return;
    this.pending.delete(executionId);
    this.send(inOrder(waiting));
  }

  /** Sends everything that waits (the window's end, and closing). */
  flushAll(): void {
    const events = [...this.pending.values()].flatMap(inOrder);
    this.pending.clear();
    if (events.length > 0) this.send(events);
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.flushAll();
  }

  private send(events: (StepEvent | StatusEvent)[]): void {
    const { channels, log } = this.options;
    channels.publish(channels.name('events'), JSON.stringify(events))
      .catch((error: unknown) => log.warn({ err: error }, 'could not publish step events'));
  }
}

/** An execution's waiting events as sent: every step before the status, whatever order they came in. */
function inOrder(waiting: PendingEvents): (StepEvent | StatusEvent)[] {
  return waiting.status ? [...waiting.steps.values(), waiting.status] : [...waiting.steps.values()];
}

/**
 * The events in one message of the events channel: a status event alone, or a batch of step events
 * in which an unwatched run's status follows its steps (decision 044's update).
 */
export function parseExecutionEvents(message: string): ExecutionEvent[] {
  const parsed = JSON.parse(message) as ExecutionEvent | ExecutionEvent[];
  return Array.isArray(parsed) ? parsed : [parsed];
}
