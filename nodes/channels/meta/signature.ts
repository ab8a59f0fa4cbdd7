import { createHmac, timingSafeEqual } from 'node:crypto';
import type { InboundAccount, InboundDelivery, InboundReply } from '@switchyard/sdk';

/** Meta's signature header: `sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE_FORMAT = /^sha256=([0-9a-fA-F]{64})$/;

/** Lower-case hex HMAC-SHA256 of `data` with `key`. */
export function hmacSha256Hex(key: string | Uint8Array, data: string | Uint8Array): string {
  return createHmac('sha256', key).update(data).digest('hex');
}

/**
 * Checks `header` (the `X-Hub-Signature-256` value, or undefined when absent) against the raw body.
 * Meta signs the bytes as sent — escaped unicode (`\u00e9`) and escaped slashes included — so the
 * HMAC is computed over `rawBody` itself, never over a re-serialisation. Constant-time: the format is
 * checked first (fixed length, hex only), then the 32 decoded bytes are compared with
 * `timingSafeEqual`. Returns undefined when the signature is right. Never throws on odd input.
 */
export function checkMetaSignature(
  header: string | undefined,
  rawBody: Uint8Array,
  appSecret: string,
): { status: 401 | 403; reason: string } | undefined {
  if (header === undefined || header === '') return { status: 401, reason: 'the X-Hub-Signature-256 header is missing' };
  const match = SIGNATURE_FORMAT.exec(header.trim());
  if (!match) return { status: 403, reason: 'the X-Hub-Signature-256 header is not "sha256=" followed by 64 hex digits' };
  if (appSecret === '') return { status: 403, reason: 'the account has no app secret to check X-Hub-Signature-256 with' };
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(match[1] ?? '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { status: 403, reason: 'the X-Hub-Signature-256 signature does not match the body (check the app secret)' };
  }
  return undefined;
}

/** Compares two texts in time that does not depend on where they differ. */
export function sameText(a: string, b: string): boolean {
  // Hashing both first gives equal lengths, so the comparison is constant-time whatever the inputs.
  return timingSafeEqual(createHmac('sha256', 'compare').update(a).digest(), createHmac('sha256', 'compare').update(b).digest());
}

/**
 * Answers Meta's subscription check: `GET ?hub.mode=subscribe&hub.verify_token=<token>&hub.challenge=<X>`
 * → 200 `text/plain` with exactly X when the token is the account's verify token (`account.secret`),
 * else 403. Any other request is not a handshake (undefined).
 */
export function metaHandshake(delivery: InboundDelivery, account: InboundAccount): InboundReply | undefined {
  if (delivery.method.toUpperCase() !== 'GET') return undefined;
  const mode = delivery.query['hub.mode'];
  if (mode === undefined) return undefined;
  const token = delivery.query['hub.verify_token'] ?? '';
  if (mode !== 'subscribe' || !sameText(token, account.secret)) {
    return { status: 403, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'The verify token does not match this account\'s.' };
  }
  const challenge = delivery.query['hub.challenge'];
  if (challenge === undefined) return { status: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'hub.challenge is missing' };
  return { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: challenge };
}
