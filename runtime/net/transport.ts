import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { NodeError, NonRetryableError } from '@switchyard/sdk';
import type { CheckedAddress } from './guard.js';
import { socketHost } from './guard.js';
import { parseIp } from './ip.js';

/** One HTTP exchange, without redirects: what the client hands the socket layer. */
export interface Exchange {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  /** The checked addresses; the socket connects to nothing else. */
  addresses: CheckedAddress[];
  maxBytes: number;
  signal: AbortSignal;
  agents: { http: http.Agent; https: https.Agent };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/**
 * A `lookup` that answers only with the addresses the guard checked. Node calls it instead of DNS, so
 * a rebinding resolver cannot hand the socket a different (private) address after the check.
 */
export function pinnedLookup(addresses: CheckedAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === 6 ? addresses.filter((a) => a.family === options.family) : addresses;
    const first = wanted[0];
    if (!first) {
      const error: NodeJS.ErrnoException = new Error(`no checked IPv${String(options.family)} address`);
      error.code = 'ENOTFOUND';
      callback(error, '', 0);
      return;
    }
    if (options.all) callback(null, wanted.map((a) => ({ address: a.address, family: a.family })));
    else callback(null, first.address, first.family);
  };
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Codings asked for when the request names none; each is decoded before the node sees the body. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** A stream that decodes `coding`, or undefined for identity or a coding we leave alone. */
function decoderFor(coding: string | undefined): Transform | undefined {
  switch (coding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      // Lenient like browsers and curl: a body cut short after its last full block still decodes.
      return zlib.createGunzip({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'deflate':
      return zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH });
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
    default:
      return undefined;
  }
}

function tooLarge(maxBytes: number): NonRetryableError {
  return new NonRetryableError(`response body is larger than ${maxBytes} bytes`, { code: 'response_too_large', details: [{ maxBytes }] });
}

function networkError(error: unknown, url: URL): NodeError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // Connection-level failures (refused, reset, unreachable) may well pass on a retry.
  return new NodeError(`request to ${url.host} failed: ${message}`, { code: 'network_error', details: code ? [{ errno: code }] : undefined, cause: error });
}

/** Sends one request to the pinned addresses and reads the body up to `maxBytes`. */
export function exchange(ex: Exchange): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let request: http.ClientRequest | undefined;
    const finish = (error: unknown, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      ex.signal.removeEventListener('abort', onAbort);
      if (response) resolve(response);
      else {
        request?.destroy();
        reject(error);
      }
    };
    // The abort reason (a timeout NodeError, or the step's own reason) is what the caller sees.
    const onAbort = () => finish(ex.signal.reason);
    if (ex.signal.aborted) {
      onAbort();
      return;
    }
    ex.signal.addEventListener('abort', onAbort);

    const host = socketHost(ex.url);
    const secure = ex.url.protocol === 'https:';
    const options: https.RequestOptions = {
      protocol: ex.url.protocol,
      host,
      port: ex.url.port || (secure ? 443 : 80),
      path: `${ex.url.pathname}${ex.url.search}`,
      method: ex.method,
      headers: ex.headers,
      lookup: pinnedLookup(ex.addresses),
      agent: secure ? ex.agents.https : ex.agents.http,
    };
    if (secure && !parseIp(host)) options.servername = host;
    try {
      request = (secure ? https : http).request(options);
    } catch (error) {
      // Node validates header names/values synchronously: a bad header is the caller's mistake.
      finish(new NonRetryableError(`invalid request: ${error instanceof Error ? error.message : String(error)}`, { code: 'invalid_request' }));
      return;
    }
    request.on('error', (error) => finish(networkError(error, ex.url)));
    request.on('response', (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > ex.maxBytes) {
        finish(tooLarge(ex.maxBytes));
        res.destroy();
        return;
      }
      const headers = flattenHeaders(res.headers);
      const decoder = decoderFor(headers['content-encoding']);
      // The limit counts decoded bytes: a small compressed body may not inflate past it (a zip bomb).
      const body: Readable = decoder ? res.pipe(decoder) : res;
      if (decoder) {
        // What the node gets is the decoded body, so these no longer describe it.
        delete headers['content-encoding'];
        delete headers['content-length'];
      }
      const chunks: Buffer[] = [];
      let total = 0;
      body.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > ex.maxBytes) {
          finish(tooLarge(ex.maxBytes));
          res.destroy();
          decoder?.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', (error) => finish(networkError(error, ex.url)));
      decoder?.on('error', (error) => finish(new NodeError(`response from ${ex.url.host} could not be decoded (${String(res.headers['content-encoding'])}): ${error.message}`, { code: 'bad_encoding' })));
      res.on('aborted', () => finish(networkError(new Error('connection closed before the body was complete'), ex.url)));
      body.on('end', () => {
        const bytes = Buffer.concat(chunks);
        finish(undefined, {
          status: res.statusCode ?? 0,
          headers,
          body: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        });
      });
    });
    if (ex.headers['accept-encoding'] === undefined) request.setHeader('accept-encoding', ACCEPT_ENCODING);
    request.end(ex.body);
  });
}
