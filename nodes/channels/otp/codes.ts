import { createHash, randomBytes, randomInt, scrypt, timingSafeEqual } from 'node:crypto';
import { NonRetryableError, isJsonObject, type Json, type ShortLivedStore } from '@switchyard/sdk';
import { toE164 } from '../_shared/phone.js';

/** Where a code goes. */
export const OTP_CHANNELS = ['sms', 'whatsapp', 'email'] as const;
export type OtpChannel = (typeof OTP_CHANNELS)[number];

/**
 * scrypt cost (N = 2^14, r = 8: about 16 MiB and tens of milliseconds): a stored hash of a 6-digit
 * code is not brute-forced in a moment if Redis is ever read by someone who should not.
 */
const SCRYPT = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 } as const;

/** What is stored for a pending code: never the code, only its salted hash. */
export interface CodeRecord {
  salt: string;
  hash: string;
  expiresAt: number;
  maxAttempts: number;
  /** How long a contact stays locked out after too many wrong codes. */
  lockMs: number;
}

/** The recipient as stored and compared: E.164 for phones, a lower-cased address for email. */
export function normaliseRecipient(channel: OtpChannel, to: string, defaultCountry?: string): string {
  if (channel !== 'email') return toE164(to, 'to', defaultCountry);
  const address = to.trim().toLowerCase();
  if (!/^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(address)) throw new NonRetryableError(`to: "${to}" is not an email address`, { code: 'invalid_address' });
  return address;
}

/** The short-lived keys of one purpose + channel + recipient (hashed: a key never shows an address). */
export function otpKeys(purpose: string, channel: OtpChannel, recipient: string) {
  const id = createHash('sha256').update(`${purpose}\n${channel}\n${recipient}`).digest('hex').slice(0, 40);
  return { code: `otp:${id}:code`, attempts: `otp:${id}:attempts`, cooldown: `otp:${id}:cooldown`, lock: `otp:${id}:lock` };
}

/** A code of `length` decimal digits, each from the CSPRNG. */
export function generateCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += String(randomInt(0, 10));
  return code;
}

function scryptKey(code: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(code, salt, 32, SCRYPT, (error, key) => (error ? reject(error) : resolve(key))));
}

/** A record for `code`: a fresh 16-byte salt and the scrypt hash. */
export async function hashCode(code: string, options: { expiresAt: number; maxAttempts: number; lockMs: number }): Promise<CodeRecord> {
  const salt = randomBytes(16);
  return { salt: salt.toString('hex'), hash: (await scryptKey(code, salt)).toString('hex'), ...options };
}

/** Whether `code` is the one `record` was made for, compared in constant time. */
export async function codeMatches(code: string, record: CodeRecord): Promise<boolean> {
  const expected = Buffer.from(record.hash, 'hex');
  const given = await scryptKey(code, Buffer.from(record.salt, 'hex'));
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Reads a stored record back (anything else is treated as no code). */
export function readRecord(value: Json | null): CodeRecord | undefined {
  if (!isJsonObject(value)) return undefined;
  const { salt, hash, expiresAt, maxAttempts, lockMs } = value;
  if (typeof salt !== 'string' || typeof hash !== 'string' || typeof expiresAt !== 'number' || typeof maxAttempts !== 'number' || typeof lockMs !== 'number') return undefined;
  return { salt, hash, expiresAt, maxAttempts, lockMs };
}

/** The store, or a step error saying this runtime keeps no one-time codes. */
export function codeStore(store: ShortLivedStore | undefined): ShortLivedStore {
  if (!store) throw new NonRetryableError('this runtime offers no short-lived store (ctx.channels.shortLived), so one-time codes cannot be kept', { code: 'otp_unavailable' });
  return store;
}

/** The message with the code masked, as the conversation store keeps it. */
export function masked(text: string, code: string): string {
  return text.split(code).join('•'.repeat(code.length));
}
