import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialValue, OutboundMessageRecord } from '@switchyard/sdk';
import { createRedisConnection } from '../../../../runtime/redis/index.js';
import { testConfig } from '../../../../runtime/testing/config.js';
import { createHttpClient } from '../../../../runtime/net/client.js';
import { runNode } from '../../../testing.js';
import { startTwilioFake, type TwilioFake } from '../../twilio/fake.js';
import { otpKeys, readRecord } from '../codes.js';
import sendCode from '../send/index.js';
import { otpChannels, otpContext } from '../testing.js';
import checkCode from './index.js';

const config = testConfig();
const redis = createRedisConnection(config.redisUrl!);
const http = createHttpClient({ allow: ['127.0.0.1'] });
let fake: TwilioFake;
const outbound: OutboundMessageRecord[] = [];
const channels = otpChannels(redis, config.redisPrefix, outbound);
beforeAll(async () => { fake = await startTwilioFake(); });
afterAll(async () => { http.close(); redis.disconnect(); await fake.close(); });

const twilio = (): CredentialValue => ({ id: 'cred-tw', kind: 'twilio', fields: { accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url, defaultFrom: '+15005550006' } });
/** Sends a code to `to` and returns it as the contact would read it. */
async function sendTo(to: string, props: Record<string, unknown> = {}): Promise<string> {
  const result = await runNode(sendCode, {}, { to, cooldownSeconds: 0, ...props }, otpContext(http, channels, { twilio: twilio() }));
  expect(result).toHaveProperty('sent');
  return /\b(\d{4,10})\b/.exec(fake.messages.at(-1)!.body)![1]!;
}
const check = (to: string, code: string, props: Record<string, unknown> = {}) => runNode(checkCode, {}, { to, code, ...props }, otpContext(http, channels, {}));
const wrong = (code: string) => code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

describe('otp.check', () => {
  it('accepts the right code once (it is used up), ignoring spaces and dashes, and only for the same purpose and channel', async () => {
    const code = await sendTo('+14155550111', { purpose: 'payment' });
    expect(await check('+14155550111', code)).toEqual({ expired: { to: '+14155550111', channel: 'sms', purpose: 'default' } });
    expect(await check('+14155550111', code, { purpose: 'payment', channel: 'whatsapp' })).toHaveProperty('expired');
    const spaced = `${code.slice(0, 3)} - ${code.slice(3)}`;
    expect(await check('(415) 555-0111', spaced, { purpose: 'payment', defaultCountry: 'US' })).toEqual({ valid: { to: '+14155550111', channel: 'sms', purpose: 'payment' } });
    expect(await check('+14155550111', code, { purpose: 'payment' })).toHaveProperty('expired');
  });

  it('counts wrong codes, locks the recipient at the limit (the right code then fails too) and refuses to send a new code while locked', async () => {
    const code = await sendTo('+14155550112', { maxAttempts: 3 });
    expect(await check('+14155550112', wrong(code))).toEqual({ invalid: { to: '+14155550112', channel: 'sms', purpose: 'default', attemptsLeft: 2 } });
    expect(await check('+14155550112', 'abc')).toMatchObject({ invalid: { attemptsLeft: 1 } });
    expect(await check('+14155550112', wrong(code))).toEqual({ locked: { to: '+14155550112', channel: 'sms', purpose: 'default', retryAfterSeconds: 600 } });
    expect(await check('+14155550112', code)).toHaveProperty('locked');
    const sent = fake.messages.length;
    expect(await runNode(sendCode, {}, { to: '+14155550112' }, otpContext(http, channels, { twilio: twilio() }))).toMatchObject({ locked: { to: '+14155550112' } });
    expect(fake.messages.length).toBe(sent);
  });

  it('refuses an expired code', async () => {
    const code = await sendTo('+14155550113');
    // The code's own expiry is in its record (Redis drops it at the same moment); move it to the past.
    const keys = otpKeys('default', 'sms', '+14155550113');
    const record = readRecord(await channels.shortLived.get(keys.code))!;
    await channels.shortLived.put(keys.code, { ...record, expiresAt: Date.now() - 1 }, 60_000);
    expect(await check('+14155550113', code)).toHaveProperty('expired');
  });

  it('lets exactly one of several concurrent checks with the right code through', async () => {
    const code = await sendTo('+14155550114', { maxAttempts: 10 });
    const results = await Promise.all(Array.from({ length: 5 }, () => check('+14155550114', code)));
    expect(results.filter((r) => 'valid' in r)).toHaveLength(1);
    expect(results.filter((r) => 'expired' in r)).toHaveLength(4);
  });

  it('keeps codes apart per workspace', async () => {
    const code = await sendTo('+14155550115');
    const other = otpChannels(redis, config.redisPrefix, [], 'ws-other');
    expect(await runNode(checkCode, {}, { to: '+14155550115', code }, otpContext(http, other, {}))).toHaveProperty('expired');
    expect(await check('+14155550115', code)).toHaveProperty('valid');
  });
});
