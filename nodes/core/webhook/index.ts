import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';

/**
 * `orders/new`: slash-separated segments of letters, digits, `-`, `_` and `.`. A segment may not start
 * with a dot, which rules out `.` and `..`; no leading or trailing slash.
 */
export const WEBHOOK_PATH_PATTERN = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

export const WEBHOOK_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const props = z.object({
  /** The URL is `/hooks/<path>`. Unique per method across active flows. */
  path: ui(
    z.string().trim().min(1, 'enter a path').max(200)
      .regex(WEBHOOK_PATH_PATTERN, 'use letters, digits, - _ . separated by /, like orders/new (no leading slash)'),
    { title: 'Path', description: 'The webhook URL is /hooks/<path>', placeholder: 'orders/new' },
  ),
  /** Default: 'POST'. */
  method: ui(z.enum(WEBHOOK_METHODS).default('POST'), {
    title: 'HTTP method', description: 'The method callers must use',
    enumLabels: { GET: 'GET', POST: 'POST', PUT: 'PUT', PATCH: 'PATCH', DELETE: 'DELETE' },
  }),
  /** Default: 'lastNode'. */
  respond: ui(z.enum(['immediately', 'lastNode', 'respondNode']).default('lastNode'), {
    title: 'Respond',
    description: 'When the caller gets an answer',
    enumLabels: {
      immediately: 'Immediately, with 202 Accepted and the execution id',
      lastNode: 'When the flow ends, with the last node\'s output',
      respondNode: 'When a Respond node runs',
    },
  }),
});

/**
 * Starts an execution per HTTP call to `/hooks/<path>`. The web layer verifies the optional HMAC
 * signature and records the call before the flow starts; the node only passes the request on.
 */
export default defineNode({
  type: 'core.webhook',
  version: 1,
  title: 'Webhook',
  category: 'Triggers',
  description: 'Starts the flow when an HTTP request arrives at /hooks/<path>',
  icon: 'webhook',
  props,
  credentials: { signature: { kind: 'hmac-secret', optional: true, title: 'Signature secret (HMAC)' } },
  ports: { in: [], out: ['main'] },
  trigger: { kind: 'webhook' },
  sideEffects: false,
  // Read when the flow is activated, before any execution exists to evaluate an expression against.
  literalProps: ['path', 'method', 'respond'],
  /** `input` is `{ body, query, headers, method, path }` as the web layer built it. */
  run(_ctx, input) {
    return { main: input };
  },
});
