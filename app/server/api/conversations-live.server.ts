import type { ConversationChange } from '../../../runtime/services/types.js';
import { defineRoute, type Route } from '../route.server.js';
import { EventStream } from './event-stream.server.js';

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
 * Mounted before `/conversations/:id`, which would take `events` for an id.
 */
export const conversationLiveRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/conversations/events', tag: 'conversations',
    summary: 'Live inbox changes of the workspace (text/event-stream): `ready`, then { threads: [{ id, changes }] } as messages arrive, statuses move, automation is paused or resumed, or threads are read' },
  async ({ runtime, principal, req, res }) => {
    const stream = new EventStream(req, res);
    const unsubscribe = await runtime.conversations.watch(principal.workspaceId, (change: ConversationChange) => stream.send(undefined, change));
    try {
      stream.open(RETRY_MS);
      stream.send('ready', {});
      await stream.held();
    } finally {
      await unsubscribe();
    }
    return {};
  }),
];
