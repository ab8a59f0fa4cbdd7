import type { Json } from '@switchyard/sdk';
import { isRecord, Unmappable, type MapContext, type Mapped, type Mapper } from './types.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']);

/** n8n generic credential types → our http-request auth kinds. */
const AUTH_KINDS: Record<string, string> = { httpHeaderAuth: 'http-header', httpBasicAuth: 'http-basic', httpBearerAuth: 'http-bearer' };

function pairs(ctx: MapContext, list: Json | undefined, what: string): Json[] {
  const items = isRecord(list) && Array.isArray(list.parameters) ? list.parameters : isRecord(list) && Array.isArray(list.parameter) ? list.parameter : [];
  const out: Json[] = [];
  for (const item of items) {
    if (!isRecord(item) || typeof item.name !== 'string' || item.name === '') continue;
    out.push({ name: item.name, value: ctx.text(item.value ?? '', `${what} ${item.name}`) ?? '' });
  }
  return out;
}

function jsonParameter(ctx: MapContext, raw: Json | undefined, what: string): Json {
  if (typeof raw !== 'string') return raw ?? null;
  if (!raw.startsWith('=')) {
    try {
      return JSON.parse(raw) as Json;
    } catch {
      return ctx.value(raw, what);
    }
  }
  return ctx.value(raw, what);
}

/** Our http-request keeps `{ status, headers, body }`; the converter moves references to its output under `body`. */
const httpRequest: Mapper = (ctx): Mapped => {
  const { params, version } = ctx;
  const legacy = version < 3;
  const method = String((legacy ? params.requestMethod : params.method) ?? 'GET').toUpperCase();
  if (!METHODS.has(method)) throw new Unmappable(`method ${method} is not supported`);
  const url = ctx.text(params.url, 'URL') ?? '';
  const options = isRecord(params.options) ? params.options : {};
  const props: Record<string, Json> = { method, url };
  let headers: Json[] = [];
  let query: Json[] = [];
  if (legacy) {
    headers = pairs(ctx, params.headerParametersUi, 'header');
    query = pairs(ctx, params.queryParametersUi, 'query');
    if (params.jsonParameters === true) {
      if (params.bodyParametersJson !== undefined) Object.assign(props, { bodyType: 'json', body: jsonParameter(ctx, params.bodyParametersJson, 'JSON body') });
      if (params.headerParametersJson !== undefined || params.queryParametersJson !== undefined) ctx.warn('headers or query given as JSON are not carried over; add them as pairs');
    } else {
      const body = pairs(ctx, params.bodyParametersUi, 'body field');
      if (body.length > 0) Object.assign(props, { bodyType: 'json', body: Object.fromEntries(body.map((p) => [String((p as Record<string, Json>).name), (p as Record<string, Json>).value ?? null])) });
    }
  } else {
    if (params.sendHeaders === true) {
      if (params.specifyHeaders === 'json') ctx.warn('headers given as JSON are not carried over; add them as pairs');
      headers = pairs(ctx, params.headerParameters, 'header');
    }
    if (params.sendQuery === true) {
      if (params.specifyQuery === 'json') ctx.warn('query given as JSON is not carried over; add it as pairs');
      query = pairs(ctx, params.queryParameters, 'query');
    }
    if (params.sendBody === true) {
      const contentType = typeof params.contentType === 'string' ? params.contentType : 'json';
      if (contentType === 'binaryData' || contentType === 'multipart-form-data') throw new Unmappable(`sending a ${contentType} body is not supported`);
      if (contentType === 'raw') {
        Object.assign(props, { bodyType: 'raw', body: ctx.value(params.body ?? '', 'raw body') });
        if (typeof params.rawContentType === 'string') headers.push({ name: 'Content-Type', value: params.rawContentType });
      } else if (params.specifyBody === 'json') {
        Object.assign(props, { bodyType: contentType === 'form-urlencoded' ? 'form' : 'json', body: jsonParameter(ctx, params.jsonBody, 'JSON body') });
      } else {
        const fields = pairs(ctx, params.bodyParameters, 'body field');
        Object.assign(props, {
          bodyType: contentType === 'form-urlencoded' ? 'form' : 'json',
          body: Object.fromEntries(fields.map((p) => [String((p as Record<string, Json>).name), (p as Record<string, Json>).value ?? null])),
        });
      }
    }
  }
  if (headers.length > 0) props.headers = headers;
  if (query.length > 0) props.query = query;
  if (typeof options.timeout === 'number' && options.timeout > 0) props.timeoutMs = Math.min(600_000, options.timeout);
  const response = isRecord(options.response) && isRecord(options.response.response) ? options.response.response : {};
  if (response.neverError === true) props.failOnStatus = false;
  if (response.responseFormat === 'text') props.response = 'text';
  if (response.responseFormat === 'json') props.response = 'json';
  if (response.responseFormat === 'file') {
    props.response = 'base64';
    ctx.change('a file response → base64 text in body (bodyEncoding: "base64")');
  }
  const redirect = isRecord(options.redirect) && isRecord(options.redirect.redirect) ? options.redirect.redirect : {};
  if (redirect.followRedirects === false) props.followRedirects = false;
  if (isRecord(options.batching) || isRecord(options.pagination) || isRecord(params.options) && isRecord((params.options as Record<string, Json>).pagination)) {
    ctx.warn('batching and pagination options are not carried over');
  }
  const authentication = typeof params.authentication === 'string' ? params.authentication : 'none';
  if (authentication === 'genericCredentialType' || AUTH_KINDS[authentication]) {
    const generic = typeof params.genericAuthType === 'string' ? params.genericAuthType : authentication;
    const kind = AUTH_KINDS[generic];
    if (kind) ctx.credential([generic], kind, 'auth');
    else ctx.warn(`authentication ${generic} is not supported; add a header, basic or bearer credential`);
  } else if (authentication === 'predefinedCredentialType') {
    ctx.warn(`used the n8n "${String(params.nodeCredentialType ?? 'predefined')}" credential; pick a header, basic or bearer credential here`);
  }
  ctx.change('outputs { status, headers, body } (n8n output the body); references to its output now read body');
  ctx.items('a response that is a JSON list stays one message (n8n split it into one item per element)');
  return { type: 'core.http-request', props };
};

export const httpMappers: Record<string, Mapper> = { httpRequest };
