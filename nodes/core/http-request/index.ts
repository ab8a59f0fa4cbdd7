import { defineNode, NodeError, NonRetryableError, type HttpResponse, type Json } from '@switchyard/sdk';
import { buildRequest, type SignalledRequest } from './build.js';
import { httpRequestProps, type HttpRequestProps } from './props.js';

/** Redirects followed when `followRedirects` is on; each hop is re-checked by the outbound guard. */
const MAX_REDIRECTS = 5;
/** How much of an error response body goes into the step's error details. */
const ERROR_BODY_CHARS = 1_000;

function readBody(response: HttpResponse, mode: HttpRequestProps['response'], method: string): Json {
  if (method === 'HEAD' || response.body.byteLength === 0) return mode === 'text' ? '' : null;
  if (mode === 'text') return response.text();
  if (mode === 'json') return response.json();
  const type = response.headers['content-type'] ?? '';
  if (!/[/+]json\b/i.test(type)) return response.text();
  // 'auto' is forgiving: a server that labels broken JSON as JSON still yields its text.
  try {
    return response.json();
  } catch {
    return response.text();
  }
}

function statusError(response: HttpResponse, method: string): NodeError {
  const host = new URL(response.url).host;
  const message = `${method} ${host} answered HTTP ${response.status}`;
  const details = [{ status: response.status, url: response.url, body: response.text().slice(0, ERROR_BODY_CHARS) }];
  // 5xx and 429 are the server's trouble or a rate limit: worth a retry. Other 4xx will fail the same way again.
  if (response.status >= 500 || response.status === 429) return new NodeError(message, { code: 'http_status', details });
  return new NonRetryableError(message, { code: 'http_status', details });
}

export default defineNode({
  type: 'core.http-request',
  version: 1,
  title: 'HTTP request',
  category: 'Core',
  description: 'Calls an HTTP API and outputs its status, headers and body.',
  icon: 'globe',
  sideEffects: true,
  props: httpRequestProps,
  credentials: { auth: { kind: ['http-bearer', 'http-basic', 'http-header'], optional: true, title: 'Authentication' } } as const,
  ports: { in: ['main'], out: ['main'] },
  async run(ctx, _input, props) {
    const built = buildRequest(props, ctx.credentials.auth, ctx.idempotencyKey);
    const request: SignalledRequest = {
      ...built,
      timeoutMs: props.timeoutMs,
      maxRedirects: props.followRedirects ? MAX_REDIRECTS : 0,
      signal: ctx.signal,
    };
    const response = await ctx.http.request(request);
    if (props.failOnStatus && response.status >= 400) throw statusError(response, built.method);
    return { main: { status: response.status, headers: response.headers, body: readBody(response, props.response, built.method) } };
  },
});
