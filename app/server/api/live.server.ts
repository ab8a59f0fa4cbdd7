import type { ExecutionEvent, ExecutionStatus } from '../../../runtime/services/types.js';
import { defineRoute, idParams, type Route } from '../route.server.js';
import { EventStream } from './event-stream.server.js';
import { executionStepsQuery, stepsView } from './executions.server.js';

/** Statuses after which no more events come; the stream ends so the browser's EventSource can stop. */
const FINAL: ReadonlySet<ExecutionStatus> = new Set(['succeeded', 'failed', 'cancelled']);

/**
 * `GET /api/executions/:id/events`: Server-Sent Events for the editor's run view. It subscribes
 * first and only then reads the record, so no event falls between the snapshot and the stream:
 * `event: snapshot` carries the `ExecutionRecord` with the steps the query selects (as for
 * `GET /executions/:id`), every later `message` is one
 * `ExecutionEvent`. The stream ends once the execution reaches a final status.

 */
export const liveRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/executions/:id/events', tag: 'executions', params: idParams, query: executionStepsQuery,
    summary: 'Live events of one execution (text/event-stream): a snapshot, then step and status events' },
  async ({ runtime, principal, params, query, req, res }) => {
    const queue: ExecutionEvent[] = [];
    let ready = false;
    const stream = new EventStream(req, res);
    const deliver = (event: ExecutionEvent) => {
      stream.send(undefined, event);
      if (event.type === 'status' && FINAL.has(event.status)) stream.finish();
    };

    // Subscribing may throw (404 for an unknown id) before any header is sent: the router answers it.
    const unsubscribe = await runtime.executions.watch(principal.workspaceId, params.id, (event) => {
      if (ready) deliver(event);
      else queue.push(event);
    });
    try {
      const record = await runtime.executions.get(principal.workspaceId, params.id, stepsView(query));
      stream.open();
      stream.send('snapshot', record);
      if (FINAL.has(record.status)) stream.finish();
      ready = true;
      for (const event of queue.splice(0)) deliver(event);
      await stream.held();
    } finally {
      await unsubscribe();
    }
    return {};
  }),
];
