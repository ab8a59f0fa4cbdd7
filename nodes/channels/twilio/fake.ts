import { randomBytes, randomInt } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

/** A message the fake accepted, as Twilio would store it. */
export interface FakeTwilioMessage {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
  at: number;
}

/** A Verify verification the fake started. `code` is what Twilio would have sent the user. */
export interface FakeVerification {
  sid: string;
  serviceSid: string;
  to: string;
  channel: string;
  code: string;
  status: 'pending' | 'approved' | 'canceled';
}

/** One request as received (auth reduced to whether it was right: the token is never kept). */
export interface FakeTwilioRequest {
  method: string;
  path: string;
  form: Record<string, string[]>;
  authorized: boolean;
}

/** A scripted failure for the next request(s) whose path matches. */
export interface FakeTwilioFailure {
  /** Default: every path. */
  path?: RegExp;
  status: number;
  /** Twilio's error code (21211, 21610, 20429, …). */
  code: number;
  message: string;
  /** Seconds, sent as `Retry-After`. Default: none. */
  retryAfter?: number;
  /** How many requests fail. Default: 1. */
  times?: number;
}

export interface TwilioFake {
  /** `http://127.0.0.1:<port>`: the credential's `baseUrl`. */
  url: string;
  accountSid: string;
  authToken: string;
  messages: FakeTwilioMessage[];
  verifications: FakeVerification[];
  requests: FakeTwilioRequest[];
  /** Makes the next matching request(s) fail as Twilio would. */
  fail(failure: FakeTwilioFailure): void;
  /**
   * POSTs a status callback for `sid` to its `StatusCallback` URL as Twilio does (signed with the
   * auth token over that URL), one POST per status; resolves with the HTTP statuses answered.
   * `via` sends them to another origin (see {@link postSigned}); `extra` adds parameters (ErrorCode).
   */
  reportStatuses(sid: string, statuses: string[], options?: { via?: string; extra?: Record<string, string> }): Promise<number[]>;
  close(): Promise<void>;
}

const API_VERSION = '2010-04-01';

function sid(prefix: string): string {
  return prefix + randomBytes(16).toString('hex');
}

function readForm(body: string): Record<string, string[]> {
  const form: Record<string, string[]> = {};
  for (const [name, value] of new URLSearchParams(body)) (form[name] ??= []).push(value);
  return form;
}

function first(form: Record<string, string[]>, name: string): string | undefined {
  return form[name]?.[0];
}

/**
 * A signed POST of `params` to `url`, exactly as Twilio delivers a webhook: the signature is over
 * `url` (the public callback URL Twilio was given). With `via`, the request goes to that origin
 * instead, as a reverse proxy in front of Switchyard would forward it.
 */
export async function postSigned(url: string, authToken: string, params: Record<string, string>, options: { via?: string } = {}): Promise<Response> {
  const signature = twilio.getExpectedTwilioSignature(authToken, url, params);
  const target = options.via ? new URL(new URL(url).pathname + new URL(url).search, options.via).href : url;
  return fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature, 'user-agent': 'TwilioProxy/1.1' },
    body: new URLSearchParams(params).toString(),
  });
}

/** The parameters Twilio posts for an incoming SMS (or `whatsapp:` message) to a number's "A message comes in" URL. */
export function inboundSmsParams(options: { accountSid: string; from: string; to: string; body: string; messageSid?: string; media?: { url: string; contentType: string }[] }): Record<string, string> {
  const messageSid = options.messageSid ?? sid(options.media?.length ? 'MM' : 'SM');
  const params: Record<string, string> = {
    ToCountry: 'US', ToState: 'CA', SmsMessageSid: messageSid, NumMedia: String(options.media?.length ?? 0), ToCity: 'SAN FRANCISCO',
    FromZip: '', SmsSid: messageSid, FromState: '', SmsStatus: 'received', FromCity: '', Body: options.body, FromCountry: 'US',
    To: options.to, ToZip: '94105', NumSegments: '1', MessageSid: messageSid, AccountSid: options.accountSid, From: options.from, ApiVersion: API_VERSION,
  };
  options.media?.forEach((m, i) => {
    params[`MediaUrl${i}`] = m.url;
    params[`MediaContentType${i}`] = m.contentType;
  });
  return params;
}

/**
 * A local Twilio REST API on 127.0.0.1 (random port): Messages (form-encoded, Basic auth checked →
 * 401 with code 20003), the Account resource, and Verify v2 (Verifications, VerificationCheck) by
 * path, so the SDK's api.twilio.com and verify.twilio.com both land here when the credential's
 * `baseUrl` points at it. Records every request and message; failures can be scripted.
 */
export async function startTwilioFake(options: { accountSid?: string; authToken?: string; verifyCode?: string } = {}): Promise<TwilioFake> {
  const accountSid = options.accountSid ?? sid('AC');
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const messages: FakeTwilioMessage[] = [];
  const verifications: FakeVerification[] = [];
  const requests: FakeTwilioRequest[] = [];
  const failures: (FakeTwilioFailure & { left: number })[] = [];
  const expectedAuth = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;

  function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
  function error(res: http.ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
    send(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }, headers);
  }

  function messageResource(m: FakeTwilioMessage): Record<string, unknown> {
    return {
      sid: m.sid, account_sid: accountSid, to: m.to, from: m.from, messaging_service_sid: m.messagingServiceSid, body: m.body,
      status: m.messagingServiceSid && !m.from ? 'accepted' : 'queued', num_segments: String(Math.max(1, Math.ceil(m.body.length / 153))),
      num_media: String(m.mediaUrls.length), direction: 'outbound-api', api_version: API_VERSION, price: null, price_unit: 'USD',
      error_code: null, error_message: null, date_created: new Date(m.at).toUTCString(), date_updated: new Date(m.at).toUTCString(), date_sent: null,
      uri: `/${API_VERSION}/Accounts/${accountSid}/Messages/${m.sid}.json`, subresource_uris: { media: `/${API_VERSION}/Accounts/${accountSid}/Messages/${m.sid}/Media.json` },
    };
  }

  function createMessage(res: http.ServerResponse, form: Record<string, string[]>): void {
    const to = first(form, 'To');
    const from = first(form, 'From') ?? null;
    const messagingServiceSid = first(form, 'MessagingServiceSid') ?? null;
    const body = first(form, 'Body') ?? '';
    const mediaUrls = form.MediaUrl ?? [];
    if (!to) return error(res, 400, 21604, "A 'To' phone number is required.");
    if (!from && !messagingServiceSid) return error(res, 400, 21603, "A 'From' phone number is required.");
    if (!body && mediaUrls.length === 0) return error(res, 400, 21602, 'Message body is required.');
    if (body.length > 1600) return error(res, 400, 21617, 'The concatenated message body exceeds the 1600 character limit.');
    if (!/^(whatsapp:)?\+[1-9]\d{6,14}$/.test(to)) return error(res, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
    const message: FakeTwilioMessage = { sid: sid(mediaUrls.length ? 'MM' : 'SM'), to, from, messagingServiceSid, body, mediaUrls, statusCallback: first(form, 'StatusCallback') ?? null, at: Date.now() };
    messages.push(message);
    send(res, 201, messageResource(message));
  }

  function verify(res: http.ServerResponse, serviceSid: string, action: string, form: Record<string, string[]>): void {
    if (!/^VA[0-9a-f]{32}$/i.test(serviceSid)) return error(res, 404, 20404, `The requested resource /Services/${serviceSid} was not found`);
    const to = first(form, 'To');
    if (action === 'Verifications') {
      if (!to) return error(res, 400, 60200, 'Invalid parameter: To');
      const channel = first(form, 'Channel') ?? '';
      if (!['sms', 'call', 'email', 'whatsapp'].includes(channel)) return error(res, 400, 60200, 'Invalid parameter: Channel');
      for (const v of verifications) if (v.serviceSid === serviceSid && v.to === to && v.status === 'pending') v.status = 'canceled';
      const v: FakeVerification = { sid: sid('VE'), serviceSid, to, channel, code: options.verifyCode ?? String(randomInt(0, 1_000_000)).padStart(6, '0'), status: 'pending' };
      verifications.push(v);
      return send(res, 201, { sid: v.sid, service_sid: serviceSid, account_sid: accountSid, to, channel, status: 'pending', valid: false, lookup: {}, amount: null, payee: null, send_code_attempts: [{ channel, time: new Date().toISOString() }], date_created: new Date().toISOString(), date_updated: new Date().toISOString(), url: `https://verify.twilio.com/v2/Services/${serviceSid}/Verifications/${v.sid}` });
    }
    const code = first(form, 'Code');
    const bySid = first(form, 'VerificationSid');
    if (!code) return error(res, 400, 60200, 'Invalid parameter: Code');
    const pending = verifications.filter((v) => v.serviceSid === serviceSid && v.status === 'pending' && (bySid ? v.sid === bySid : v.to === to)).at(-1);
    if (!pending) return error(res, 404, 20404, `The requested resource /Services/${serviceSid}/VerificationCheck was not found`);
    if (pending.code === code) pending.status = 'approved';
    send(res, 200, { sid: pending.sid, service_sid: serviceSid, account_sid: accountSid, to: pending.to, channel: pending.channel, status: pending.status, valid: pending.status === 'approved', amount: null, payee: null, date_created: new Date().toISOString(), date_updated: new Date().toISOString() });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://fake').pathname;
      const form = readForm(Buffer.concat(chunks).toString('utf8'));
      const authorized = req.headers.authorization === expectedAuth;
      requests.push({ method: req.method ?? '', path, form, authorized });
      if (!authorized) return error(res, 401, 20003, 'Authenticate');
      const failure = failures.find((f) => f.left > 0 && (!f.path || f.path.test(path)));
      if (failure) {
        failure.left -= 1;
        return error(res, failure.status, failure.code, failure.message, failure.retryAfter !== undefined ? { 'retry-after': String(failure.retryAfter) } : {});
      }
      const account = new RegExp(`^/${API_VERSION}/Accounts/([^/]+?)(\\.json|/Messages\\.json)$`).exec(path);
      if (account && account[1] !== accountSid) return error(res, 404, 20404, `The requested resource ${path} was not found`);
      if (account?.[2] === '.json' && req.method === 'GET') {
        return send(res, 200, { sid: accountSid, friendly_name: 'Switchyard test account', status: 'active', type: 'Full', owner_account_sid: accountSid, date_created: new Date(0).toUTCString(), uri: `/${API_VERSION}/Accounts/${accountSid}.json` });
      }
      if (account?.[2] === '/Messages.json' && req.method === 'POST') return createMessage(res, form);
      const service = /^\/v2\/Services\/([^/]+)\/(Verifications|VerificationCheck)$/.exec(path);
      if (service && req.method === 'POST') return verify(res, service[1] ?? '', service[2] ?? '', form);
      error(res, 404, 20404, `The requested resource ${path} was not found`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url, accountSid, authToken, messages, verifications, requests,
    fail(failure) {
      failures.push({ ...failure, left: failure.times ?? 1 });
    },
    async reportStatuses(messageSid, statuses, options = {}) {
      const message = messages.find((m) => m.sid === messageSid);
      if (!message?.statusCallback) throw new Error(`fake Twilio: message ${messageSid} has no StatusCallback`);
      const answers: number[] = [];
      for (const status of statuses) {
        const params: Record<string, string> = {
          SmsSid: message.sid, SmsStatus: status, MessageStatus: status, To: message.to, MessageSid: message.sid,
          AccountSid: accountSid, From: message.from ?? '+15005550006', ApiVersion: API_VERSION, ...options.extra,
        };
        const response = await postSigned(message.statusCallback, authToken, params, { via: options.via });
        await response.arrayBuffer();
        answers.push(response.status);
      }
      return answers;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
