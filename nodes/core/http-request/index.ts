import { defineNode, NodeError, NonRetryableError, type HttpResponse, type Json } from '@switchyard/sdk';
import { buildRequest, type SignalledRequest } from './build.js';
import { httpRequestProps, type HttpRequestProps } from './props.js';

/** Redirects followed when `followRedirects` is on; each hop is re-checked by the outbound guard. */
const MAX_REDIRECTS = 5;
/** How much of an error response body goes into the step's error details. */
const ERROR_BODY_CHARS = 1_000;

/** Content types read as text in 'auto' mode; anything else (images, PDFs, archives…) is bytes. */
const TEXTUAL = /^(text\/|application\/(json|xml|javascript|ecmascript|x-www-form-urlencoded|graphql|yaml|x-yaml|x-ndjson)\b|[^;]*[/+](json|xml)\b)/i;

/** The body as JSON, text or base64, with `encoding` set when it is base64. */
function readBody(response: HttpResponse, mode: HttpRequestProps['response'], method: string): { body: Json; encoding?: 'base64' } {
  if (method === 'HEAD' || response.body.byteLength === 0) return { body: mode === 'text' || mode === 'base64' ? '' : null };
  if (mode === 'base64') return base64(response);
  if (mode === 'text') return { body: response.text() };
  if (mode === 'json') return { body: response.json() };
  const type = response.headers['content-type'] ?? '';
  if (/[/+]json\b/i.test(type)) {
    // 'auto' is forgiving: a server that labels broken JSON as JSON still yields its text.
    try {
      return { body: response.json() };
    } catch {
      return { body: response.text() };
    }
  }
  if (TEXTUAL.test(type)) return { body: response.text() };
  // Unlabelled: text when it decodes cleanly as UTF-8, else the bytes.
  if (!type && isCleanUtf8(response.body)) return { body: response.text() };
  return base64(response);
}

function base64(response: HttpResponse): { body: string; encoding: 'base64' } {
  return { body: Buffer.from(response.body.buffer, response.body.byteOffset, response.body.byteLength).toString('base64'), encoding: 'base64' };
}

function isCleanUtf8(bytes: Uint8Array): boolean {
  if (bytes.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
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
  description: 'Calls an HTTP API and outputs its status, headers and body (binary bodies as base64, with bodyEncoding: "base64").',
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
    const { body, encoding } = readBody(response, props.response, built.method);
    return { main: { status: response.status, headers: response.headers, body, ...(encoding ? { bodyEncoding: encoding } : {}) } };
  },
});
