import type { ConversationChange } from '../../../runtime/services/types.js';
import { defineRoute, type Route } from '../route.server.js';

/** Proxies drop idle connections; a comment line every 15 s keeps the stream open. */
const HEARTBEAT_MS = 15_000;
/** How long the browser waits before reconnecting a dropped stream (EventSource's `retry`). */
const RETRY_MS = 2_000;

/**
 * `GET /api/conversations/events`: Server-Sent Events for the inbox. Each `message` is one
 * `ConversationChange` of the caller's workspace only (the runtime publishes on a Redis channel
 * per workspace, from whichever process recorded it): thread ids and what changed, never the rows.
 * The page then reads what it shows through `GET /conversations` and `/conversations/:id`, which
 * keeps every access rule in one place and the stream tiny; a burst of changes arrives as one
 * message per ~100 ms. `event: ready` follows the subscription: whatever happened before it (while
 * disconnected) the page catches up on by refetching then.
 *
 * Mounted before `/conversations/:id`, which would take `events` for an id. The route writes to
 * `res` itself and settles only when the client goes; the router's closing `res.end()` is a no-op.
 */
export const conversationLiveRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/conversations/events', tag: 'conversations',
    summary: 'Live inbox changes of the workspace (text/event-stream): `ready`, then { threads: [{ id, changes }] } as messages arrive, statuses move, automation is paused or resumed, or threads are read' },
  async ({ runtime, principal, req, res }) => {
    let finished = false;
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => { resolveDone = resolve; });
    const finish = () => {
      if (finished) return;
      finished = true;
      res.end();
      resolveDone();
    };
    const send = (event: string | undefined, data: unknown) => {
      if (!finished) res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    };

    const unsubscribe = await runtime.conversations.watch(principal.workspaceId, (change: ConversationChange) => send(undefined, change));
    try {
      res.status(200);
      res.setHeader('content-type', 'text/event-stream; charset=utf-8');
      res.setHeader('cache-control', 'no-store');
      res.setHeader('x-accel-buffering', 'no');
      res.flushHeaders();
      res.write(`retry: ${RETRY_MS}\n\n`);
      send('ready', {});
      const heartbeat = setInterval(() => { if (!finished) res.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
      res.on('close', finish);
      // The browser may have gone while subscribing; 'close' would not fire again.
      if (req.destroyed || res.destroyed) finish();
      await done;
      clearInterval(heartbeat);
    } finally {
      await unsubscribe();
    }
    return {};
  }),
];
