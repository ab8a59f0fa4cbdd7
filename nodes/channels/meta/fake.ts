import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { isJsonObject, type Json, type JsonObject } from '@switchyard/sdk';
import { FakeInstagram, type FakeComment, type FakeMedia } from './fake-instagram.js';
import { graphErrorBody } from './fake-errors.js';

/** One call the fake received. The token itself is never kept: only whether it was the right one. */
export interface GraphFakeCall {
  method: string;
  /** Path without the version, e.g. `106540352242922/messages`. */
  path: string;
  version: string;
  query: Record<string, string>;
  /** The JSON body (or form fields) as received; null for none. */
  body: JsonObject | null;
  authorized: boolean;
}

/** A Graph error the fake answers with instead of accepting a call. */
export interface ScriptedGraphError {
  /** Graph's code: 131047 (outside the 24-hour window), 131026 (undeliverable), 130429 (throughput), 190, … */
  code: number;
  /** Default: 429 for code 130429/80007/4 with `retryAfterSeconds`, else 400. */
  status?: number;
  subcode?: number;
  /** Default: Graph's own title for the code. */
  message?: string;
  /** Sent as `Retry-After`. Default: none. */
  retryAfterSeconds?: number;
  /** How many calls fail before the recipient is served again. Default: every call. */
  times?: number;
}

/** A WhatsApp message the fake accepted (`POST /{phone-number-id}/messages`). */
export interface FakeWhatsAppMessage {
  id: string;
  phoneNumberId: string;
  to: string;
  type: string;
  body: JsonObject;
  /** When the fake received it: epoch ms with sub-millisecond precision (benchmarks time replies by it). */
  receivedAt: number;
}

export interface GraphFakeOptions {
  /** The token every call must carry as `Authorization: Bearer …`. Default: 'graph-test-token'. */
  accessToken?: string;
  /** WhatsApp business phone numbers served. Default: one, id `106540352242922`, display `15550783881`. */
  phoneNumbers?: { id: string; display: string; verifiedName?: string }[];
  /** The Instagram professional account served. Default: id `17841400000000001`, username `switchyard_shop`. */
  instagram?: { id: string; username: string };
  /** Status polls a media container answers IN_PROGRESS before FINISHED. Default: 2. */
  containerPollsUntilReady?: number;
}

export interface GraphFake {
  /** Base URL to put in a credential's `baseUrl` (no version, no trailing slash). */
  url: string;
  accessToken: string;
  phoneNumbers: { id: string; display: string; verifiedName?: string }[];
  instagram: FakeInstagram;
  /** Every call, in order. */
  calls: GraphFakeCall[];
  /** Accepted WhatsApp messages (mark-as-read calls excluded), in order. */
  whatsappMessages: FakeWhatsAppMessage[];
  /** WhatsApp messages marked read through `status: 'read'`. */
  readReceipts: string[];
  /** Makes calls to `recipient` (a wa_id / phone digits, an IGSID or a comment id) fail with a Graph error. */
  failFor(recipient: string, error: ScriptedGraphError): void;
  /** Forgets calls, messages, scripted errors and Instagram state. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * A local Graph API (WhatsApp Cloud API and the Messenger API for Instagram) on 127.0.0.1 with a
 * random port: the request and answer shapes Meta documents, a Bearer token check (wrong → 401,
 * Graph error 190), scriptable errors per recipient, and a record of every call. Any `v<N>.<M>`
 * version prefix is accepted.
 */
export async function startGraphFake(options: GraphFakeOptions = {}): Promise<GraphFake> {
  const accessToken = options.accessToken ?? 'graph-test-token';
  const phoneNumbers = options.phoneNumbers ?? [{ id: '106540352242922', display: '15550783881', verifiedName: 'Switchyard Test' }];
  const instagram = new FakeInstagram(options.instagram ?? { id: '17841400000000001', username: 'switchyard_shop' }, options.containerPollsUntilReady ?? 2);
  const calls: GraphFakeCall[] = [];
  const whatsappMessages: FakeWhatsAppMessage[] = [];
  const readReceipts: string[] = [];
  const scripted = new Map<string, ScriptedGraphError & { left: number }>();

  const scriptedFor = (recipient: string | undefined): (ScriptedGraphError & { left: number }) | undefined => {
    if (recipient === undefined) return undefined;
    const entry = scripted.get(recipient.replace(/^\+/, ''));
    if (!entry || entry.left <= 0) return undefined;
    entry.left -= 1;
    return entry;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const receivedAt = performance.timeOrigin + performance.now();
      const answer = (status: number, body: Json, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const match = /^\/(v\d+\.\d+)\/(.+)$/.exec(url.pathname);
      if (!match) return answer(400, graphErrorBody(100, 'Unknown path components'));
      const query = Object.fromEntries(url.searchParams);
      const call: GraphFakeCall = {
        method: req.method ?? 'GET', version: match[1] ?? '', path: match[2] ?? '', query,
        body: readBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']),
        authorized: req.headers.authorization === `Bearer ${accessToken}`,
      };
      calls.push(call);
      if (!call.authorized) return answer(401, graphErrorBody(190));
      const [id = '', edge] = call.path.split('/');
      const phone = phoneNumbers.find((p) => p.id === id);
      if (phone && edge === 'messages' && call.method === 'POST') {
        const body = call.body ?? {};
        if (body.status === 'read') {
          readReceipts.push(String(body.message_id));
          return answer(200, { success: true });
        }
        const to = typeof body.to === 'string' ? body.to : '';
        if (body.messaging_product !== 'whatsapp' || to === '' || typeof body.type !== 'string') {
          return answer(400, graphErrorBody(100, 'The parameter messaging_product, to or type is required.'));
        }
        const failure = scriptedFor(to);
        if (failure) return answerScripted(answer, failure);
        const message: FakeWhatsAppMessage = { id: `wamid.${randomBytes(18).toString('base64url')}`, phoneNumberId: phone.id, to, type: body.type, body, receivedAt };
        whatsappMessages.push(message);
        return answer(200, { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to.replace(/\D/g, '') }], messages: [{ id: message.id }] });
      }
      if (phone && edge === undefined && call.method === 'GET') {
        return answer(200, { id: phone.id, display_phone_number: phone.display, verified_name: phone.verifiedName ?? 'Test Number', quality_rating: 'GREEN', code_verification_status: 'VERIFIED' });
      }
      const recipient = instagram.recipientOf(call);
      const failure = scriptedFor(recipient);
      if (failure) return answerScripted(answer, failure);
      const handled = instagram.handle(call);
      if (handled) return answer(handled.status, handled.body);
      answer(400, graphErrorBody(100, `Unsupported ${call.method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`, 33));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, accessToken, phoneNumbers, instagram, calls, whatsappMessages, readReceipts,
    failFor(recipient, error) {
      scripted.set(recipient.replace(/^\+/, ''), { ...error, left: error.times ?? Number.POSITIVE_INFINITY });
    },
    reset() {
      calls.length = 0;
      whatsappMessages.length = 0;
      readReceipts.length = 0;
      scripted.clear();
      instagram.reset();
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function answerScripted(answer: (status: number, body: Json, headers?: Record<string, string>) => void, failure: ScriptedGraphError): void {
  const throttling = [4, 80007, 130429].includes(failure.code) && failure.retryAfterSeconds !== undefined;
  const headers: Record<string, string> = failure.retryAfterSeconds !== undefined ? { 'retry-after': String(failure.retryAfterSeconds) } : {};
  answer(failure.status ?? (throttling ? 429 : 400), graphErrorBody(failure.code, failure.message, failure.subcode), headers);
}

/** Graph takes parameters as JSON, as a form, or in the query string; the fake reads the first two. */
function readBody(text: string, contentType: string | undefined): JsonObject | null {
  if (text === '') return null;
  if (contentType?.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(text));
  try {
    const parsed = JSON.parse(text) as Json;
    return isJsonObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

export type { FakeComment, FakeMedia };
