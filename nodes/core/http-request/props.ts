import { z } from 'zod';
import { ui } from '@switchyard/sdk';

export const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;

const pair = z.object({
  name: ui(z.string().min(1, 'name is required'), { title: 'Name' }),
  value: ui(z.string(), { title: 'Value' }),
});

/** Props of `core.http-request@1`: the editor form, the API validation and `run`'s typed value in one. */
export const httpRequestProps = z.object({
  /** Default: 'GET'. */
  method: ui(z.enum(methods).default('GET'), { title: 'Method', expression: false }),
  // Not z.url(): the saved value may be an expression (`{{ $json.link }}`); the client checks the result.
  url: ui(z.string().min(1, 'url is required'), { title: 'URL', placeholder: 'https://api.example.com/items' }),
  /** Default: none. */
  headers: ui(z.array(pair).default([]), { title: 'Headers', widget: 'key-value' }),
  /** Appended to the URL's own query string. Default: none. */
  query: ui(z.array(pair).default([]), { title: 'Query parameters', widget: 'key-value' }),
  /** Default: 'none'. */
  bodyType: ui(z.enum(['none', 'json', 'form', 'raw']).default('none'), {
    title: 'Body',
    expression: false,
    enumLabels: { none: 'No body', json: 'JSON', form: 'Form (urlencoded)', raw: 'Raw text' },
  }),
  /**
   * JSON text or a value from an expression (json); `a=1&b=2` or an object (form); text (raw).
   * Default: none.
   */
  body: ui(z.json().optional(), { title: 'Body content', widget: 'textarea', description: 'JSON text, form fields or raw text, per the body type.' }),
  /** Default: 30 000 ms; the step's own timeout still applies. */
  timeoutMs: ui(z.number().int().positive().max(600_000).default(30_000), { title: 'Timeout (ms)', group: 'Options' }),
  /**
   * How the response body is read. Default: 'auto' (JSON when the content type says so, text for
   * text, base64 for anything else, such as an image or a PDF).
   */
  response: ui(z.enum(['auto', 'json', 'text', 'base64']).default('auto'), {
    title: 'Response format', expression: false, group: 'Options',
    enumLabels: { auto: 'Automatic (by content type)', json: 'JSON', text: 'Text', base64: 'Binary, as base64' },
  }),
  /** Fail the step on 4xx/5xx (5xx and 429 are retried). Default: true. */
  failOnStatus: ui(z.boolean().default(true), { title: 'Fail on error status', group: 'Options' }),
  /** Default: true (up to 5, each re-checked by the outbound guard). */
  followRedirects: ui(z.boolean().default(true), { title: 'Follow redirects', group: 'Options' }),
});

export type HttpRequestProps = z.infer<typeof httpRequestProps>;
