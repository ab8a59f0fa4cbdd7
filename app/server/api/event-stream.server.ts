import type { Request, Response } from 'express';

/** Proxies drop idle connections; a comment line every 15 s keeps a stream open. */
const HEARTBEAT_MS = 15_000;

/**
 * One Server-Sent Events response (the run view's and the inbox's streams). A route that uses it
 * writes to `res` itself and settles only when the stream ends (`held`); the router's closing
 * `res.end()` is then a no-op. Events sent after the stream ended are dropped.
 */
export class EventStream {
  private ended = false;
  private resolveDone: () => void = () => {};
  private readonly done = new Promise<void>((resolve) => { this.resolveDone = resolve; });

  constructor(private readonly req: Request, private readonly res: Response) {}

  get finished(): boolean {
    return this.ended;
  }

  /**
   * Sends the 200 and the stream's headers (no caching, no proxy buffering).
   * @param retryMs how long the browser waits before reconnecting a dropped stream. Default: the browser's own.
   */
  open(retryMs?: number): void {
    const { res } = this;
    res.status(200);
    res.setHeader('content-type', 'text/event-stream; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-accel-buffering', 'no');
    res.flushHeaders();
    if (retryMs !== undefined) res.write(`retry: ${retryMs}\n\n`);
  }

  /** One event: `event` names it (undefined: a plain `message`), `data` goes as JSON. */
  send(event: string | undefined, data: unknown): void {
    if (!this.ended) this.res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
  }

  /** Ends the stream (the client then sees it close). */
  finish(): void {
    if (this.ended) return;
    this.ended = true;
    this.res.end();
    this.resolveDone();
  }

  /** Keeps the stream open with heartbeats until the client goes or {@link finish} is called. */
  async held(): Promise<void> {
    const heartbeat = setInterval(() => { if (!this.ended) this.res.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
    this.res.on('close', () => this.finish());
    // The client may have gone before this was called; 'close' would not fire again.
    if (this.req.destroyed || this.res.destroyed) this.finish();
    await this.done;
    clearInterval(heartbeat);
  }
}
