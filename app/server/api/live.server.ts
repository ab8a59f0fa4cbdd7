import type { ExecutionEvent, ExecutionStatus } from '../../../runtime/services/types.js';
import { defineRoute, idParams, type Route } from '../route.server.js';
import { executionStepsQuery, stepsView } from './executions.server.js';

/** Statuses after which no more events come; the stream ends so the browser's EventSource can stop. */
const FINAL: ReadonlySet<ExecutionStatus> = new Set(['succeeded', 'failed', 'cancelled']);
/** Proxies drop idle connections; a comment line every 15 s keeps the stream open. */
const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/executions/:id/events`: Server-Sent Events for the editor's run view. It subscribes
 * first and only then reads the record, so no event falls between the snapshot and the stream:
 * `event: snapshot` carries the `ExecutionRecord` with the steps the query selects (as for
 * `GET /executions/:id`), every later `message` is one
 * `ExecutionEvent`. The stream ends once the execution reaches a final status.
 *
 * The route writes to `res` itself and settles only when the stream ends; the router's closing
 * `res.end()` is then a no-op.
 */
export const liveRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/executions/:id/events', tag: 'executions', params: idParams, query: executionStepsQuery,
    summary: 'Live events of one execution (text/event-stream): a snapshot, then step and status events' },
  async ({ runtime, principal, params, query, req, res }) => {
    const queue: ExecutionEvent[] = [];
    let ready = false;
    let finished = false;
    let resolveDone: () => void = () => {};
    const done = new Promise<void>((resolve) => { resolveDone = resolve; });

    const send = (event: string | undefined, data: unknown) => {
      if (finished) return;
      res.write(`${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      res.end();
      resolveDone();
    };
    const deliver = (event: ExecutionEvent) => {
      send(undefined, event);
      if (event.type === 'status' && FINAL.has(event.status)) finish();
    };

    // Subscribing may throw (404 for an unknown id) before any header is sent: the router answers it.
    const unsubscribe = await runtime.executions.watch(principal.workspaceId, params.id, (event) => {
      if (ready) deliver(event);
      else queue.push(event);
    });
    try {
      const record = await runtime.executions.get(principal.workspaceId, params.id, stepsView(query));
      res.status(200);
      res.setHeader('content-type', 'text/event-stream; charset=utf-8');
      res.setHeader('x-accel-buffering', 'no');
      res.flushHeaders();
      send('snapshot', record);
      if (FINAL.has(record.status)) finish();
      ready = true;
      for (const event of queue.splice(0)) deliver(event);
      const heartbeat = setInterval(() => { if (!finished) res.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
      res.on('close', finish);
      // The browser may have gone while the record was read; 'close' would not fire again.
      if (req.destroyed || res.destroyed) finish();
      await done;
      clearInterval(heartbeat);
    } finally {
      await unsubscribe();
    }
    return {};
  }),
];
