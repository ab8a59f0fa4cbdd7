import { NonRetryableError, isJsonObject, type CredentialValue, type HttpRequest, type Json } from '@switchyard/sdk';
import type { HttpRequestProps } from './props.js';

/** What the node sends: method, final URL, headers and body. */
export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

function invalid(message: string, code = 'invalid_props'): NonRetryableError {
  return new NonRetryableError(message, { code });
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  const lower = name.toLowerCase();
  return Object.keys(headers).some((h) => h.toLowerCase() === lower);
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  const lower = name.toLowerCase();
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === lower) delete headers[existing];
  headers[name] = value;
}

function formValue(value: Json): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function encodeBody(props: HttpRequestProps, headers: Record<string, string>): string | undefined {
  const { bodyType, body } = props;
  if (bodyType === 'none' || body === undefined || props.method === 'GET' || props.method === 'HEAD') return undefined;
  const contentType = (type: string) => { if (!hasHeader(headers, 'content-type')) headers['content-type'] = type; };
  if (bodyType === 'json') {
    contentType('application/json');
    if (typeof body !== 'string') return JSON.stringify(body);
    try {
      JSON.parse(body);
    } catch {
      throw invalid('body is not valid JSON text (body type "json")', 'invalid_body');
    }
    return body;
  }
  if (bodyType === 'form') {
    contentType('application/x-www-form-urlencoded');
    if (typeof body === 'string') return body;
    if (!isJsonObject(body)) throw invalid('a form body must be "a=1&b=2" text or an object of fields', 'invalid_body');
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(body)) {
      for (const item of Array.isArray(value) ? value : [value]) form.append(name, formValue(item));
    }
    return form.toString();
  }
  contentType('text/plain; charset=utf-8');
  return typeof body === 'string' ? body : JSON.stringify(body);
}

/** The Authorization (or custom) header a credential adds; it wins over a header of the same name in props. */
function applyCredential(headers: Record<string, string>, credential: CredentialValue | undefined): void {
  if (!credential) return;
  const { kind, fields } = credential;
  if (kind === 'http-bearer') setHeader(headers, 'authorization', `Bearer ${fields.token ?? ''}`);
  else if (kind === 'http-basic') {
    setHeader(headers, 'authorization', `Basic ${Buffer.from(`${fields.username ?? ''}:${fields.password ?? ''}`).toString('base64')}`);
  } else if (kind === 'http-header' && fields.name) setHeader(headers, fields.name, fields.value ?? '');
  else throw invalid(`credential kind "${kind}" cannot authenticate an HTTP request`, 'invalid_credential');
}

/** Turns props (+ credential, idempotency key) into the request the guarded client sends. */
export function buildRequest(props: HttpRequestProps, credential: CredentialValue | undefined, idempotencyKey: string): BuiltRequest {
  let url: URL;
  try {
    url = new URL(props.url);
  } catch {
    throw invalid(`"${props.url}" is not a valid URL`, 'invalid_url');
  }
  for (const { name, value } of props.query) url.searchParams.append(name, value);
  const headers: Record<string, string> = {};
  for (const { name, value } of props.headers) setHeader(headers, name, value);
  const body = encodeBody(props, headers);
  applyCredential(headers, credential);
  // A retried POST/PUT/PATCH/DELETE must not repeat its effect at providers that honour the key.
  if (props.method !== 'GET' && !hasHeader(headers, 'idempotency-key')) headers['idempotency-key'] = idempotencyKey;
  return { method: props.method, url: url.href, headers, body };
}

/** The SDK request plus the step's abort signal (see runtime/net `GuardedHttpRequest`). */
export type SignalledRequest = HttpRequest & { signal?: AbortSignal };
