import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { requireCore, resolveDefault } from '../_shared/core.js';

const BODY_DEFAULT = '{{ $json }}';

/** RFC 9110 token characters: what a header name may contain. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

const header = z.object({
  name: ui(z.string().trim().regex(HEADER_NAME, 'not a valid header name'), {
    title: 'Name', placeholder: 'Content-Type', description: 'Header name',
  }),
  // What HTTP/1.1 lets a value carry (tab, visible ASCII, Latin-1). CR/LF would smuggle in extra
  // headers; other characters (an emoji, say) make Node refuse the whole response after the flow ran.
  value: ui(z.string().regex(/^[^\r\n]*$/, 'a header value cannot contain line breaks')
    .regex(/^[\t\x20-\x7e\x80-\xff]*$/, 'a header value may hold only tabs, visible ASCII and Latin-1 characters (no emoji or control characters)'), {
    title: 'Value', description: 'Header value',
  }),
});

const props = z.object({
  /** HTTP status of the response, 200–599 (a 1xx is not a final answer: clients hang). Default: 200. */
  status: ui(z.number().int().min(200, 'a response status is 200–599 (1xx codes are not final answers)').max(599).default(200), {
    title: 'Status code', description: 'HTTP status of the response (200–599)',
  }),
  /** Default: none. */
  headers: ui(z.array(header).default([]), { title: 'Headers', description: 'Response headers', widget: 'key-value' }),
  /** Any JSON; a string that is one whole expression keeps its type. Default: `{{ $json }}`. */
  body: ui(z.json().default(BODY_DEFAULT), {
    title: 'Body', description: 'Response body (JSON), e.g. {{ $json }} for the incoming message', widget: 'json', expression: true,
  }),
});

/**
 * Answers the caller of a webhook flow whose trigger responds with "respondNode". The first Respond to
 * run wins; the flow goes on after it and passes the incoming message through.
 */
export default defineNode({
  type: 'core.respond',
  version: 1,
  title: 'Respond to webhook',
  category: 'Flow',
  description: 'Sends the HTTP response to the caller of the webhook',
  icon: 'reply',
  props,
  ports: { in: ['main'], out: ['main'] },
  // The response goes to a caller waiting on this very execution: nothing outside it changes.
  sideEffects: false,
  run(ctx, input, { status, headers, body }) {
    const core = requireCore(ctx, 'Respond');
    // Later headers of the same name win, compared case-insensitively as HTTP does.
    const merged = new Map<string, { name: string; value: string }>();
    for (const h of headers) merged.set(h.name.toLowerCase(), h);
    core.respond({
      status,
      headers: Object.fromEntries([...merged.values()].map((h) => [h.name, h.value])),
      body: resolveDefault(body, BODY_DEFAULT, () => input),
    });
    return { main: input };
  },
});
