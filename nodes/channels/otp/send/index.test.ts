import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NonRetryableError, type CredentialValue, type OutboundMessageRecord } from '@switchyard/sdk';
import { createRedisConnection } from '../../../../runtime/redis/index.js';
import { testConfig } from '../../../../runtime/testing/config.js';
import { createHttpClient } from '../../../../runtime/net/client.js';
import { runNode } from '../../../testing.js';
import { startSmtpFake, type SmtpFake } from '../../email/fake-smtp.js';
import { startGraphFake, type GraphFake } from '../../meta/fake.js';
import { whatsappCredential } from '../../meta/testing.js';
import { startTwilioFake, type TwilioFake } from '../../twilio/fake.js';
import { otpKeys } from '../codes.js';
import checkCode from '../check/index.js';
import { otpChannels, otpContext } from '../testing.js';
import sendCode from './index.js';

const config = testConfig();
const redis = createRedisConnection(config.redisUrl!);
const http = createHttpClient({ allow: ['127.0.0.1'] });
let twilioFake: TwilioFake;
let smtp: SmtpFake;
let graph: GraphFake;
const outbound: OutboundMessageRecord[] = [];
const channels = otpChannels(redis, config.redisPrefix, outbound);

beforeAll(async () => { [twilioFake, smtp, graph] = await Promise.all([startTwilioFake(), startSmtpFake(), startGraphFake()]); });
afterAll(async () => { http.close(); redis.disconnect(); await Promise.all([twilioFake.close(), smtp.close(), graph.close()]); });
beforeEach(() => { outbound.length = 0; });

function credentials(): Record<'twilio' | 'smtp' | 'whatsapp', CredentialValue> {
  return {
    twilio: { id: 'cred-tw', kind: 'twilio', fields: { accountSid: twilioFake.accountSid, authToken: twilioFake.authToken, baseUrl: twilioFake.url, defaultFrom: '+15005550006' } },
    smtp: { id: 'cred-smtp', kind: 'smtp', fields: { host: '127.0.0.1', port: String(smtp.port), security: 'none', user: smtp.user, password: smtp.password, from: 'Shop <shop@example.com>' } },
    whatsapp: whatsappCredential(graph),
  };
}
const send = (props: Parameters<typeof runNode<typeof sendCode.props, NonNullable<typeof sendCode.credentials>>>[2]) => runNode(sendCode, {}, props, otpContext(http, channels, credentials()));
const check = (props: Parameters<typeof runNode<typeof checkCode.props, NonNullable<typeof sendCode.credentials>>>[2]) => runNode(checkCode, {}, props, otpContext(http, channels, {}));
const lastSmsCode = () => /\b(\d{4,10})\b/.exec(twilioFake.messages.at(-1)?.body ?? '')?.[1] ?? '';

describe('otp.send', () => {
  it('sends a code by SMS that exists only in the message: not in the output, the conversation or the store', async () => {
    const result = await send({ to: '+1 415 555 0101', purpose: 'login' });
    const message = twilioFake.messages.at(-1)!;
    expect(message.to).toBe('+14155550101');
    expect(message.body).toMatch(/^Your verification code is \d{6}\. It expires in 10 minutes\.$/);
    const code = lastSmsCode();
    expect(result).toEqual({ sent: { to: '+14155550101', channel: 'sms', purpose: 'login', expiresAt: expect.any(String), length: 6, messageId: message.sid } });
    expect(Date.parse((result as { sent: { expiresAt: string } }).sent.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(JSON.stringify(result)).not.toContain(code);
    expect(outbound).toEqual([expect.objectContaining({ credentialId: 'cred-tw', contactId: '+14155550101', text: 'Your verification code is ••••••. It expires in 10 minutes.' })]);
    const stored = await redis.keys(`${config.redisPrefix}:sl:*`);
    const values = await Promise.all(stored.map((k) => redis.get(k)));
    expect(values.join(' ')).not.toContain(code);
    expect(stored.join(' ')).not.toContain('4155550101');
    expect(await check({ to: '+14155550101', purpose: 'login', code })).toMatchObject({ valid: { to: '+14155550101' } });
  });

  it('refuses a resend within the cooldown (one message sent), and a new code replaces the old one', async () => {
    await send({ to: '+14155550102', length: 8 });
    const first = lastSmsCode();
    expect(first).toHaveLength(8);
    const again = await send({ to: '+14155550102' });
    expect(again).toEqual({ cooldown: { to: '+14155550102', channel: 'sms', retryAfterSeconds: expect.any(Number) } });
    expect((again as { cooldown: { retryAfterSeconds: number } }).cooldown.retryAfterSeconds).toBeLessThanOrEqual(30);
    expect(twilioFake.messages.filter((m) => m.to === '+14155550102')).toHaveLength(1);
    // With no cooldown a second code is sent at once, and only it works.
    await send({ to: '+14155550103', cooldownSeconds: 0 });
    const old = lastSmsCode();
    await send({ to: '+14155550103', cooldownSeconds: 0 });
    const fresh = lastSmsCode();
    if (old !== fresh) expect(await check({ to: '+14155550103', code: old })).toHaveProperty('invalid');
    expect(await check({ to: '+14155550103', code: fresh })).toHaveProperty('valid');
  });

  it('sends by email through SMTP and by WhatsApp with an authentication template', async () => {
    await send({ channel: 'email', to: 'Ada@Example.com', subject: 'Sign-in code', message: 'Code: {code} ({minutes} min)', expiryMinutes: 5 });
    const mail = await simpleParser(smtp.messages.at(-1)!.raw);
    expect(mail.subject).toBe('Sign-in code');
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('ada@example.com');
    const emailCode = /Code: (\d{6}) \(5 min\)/.exec(mail.text ?? '')?.[1] ?? '';
    expect(emailCode).toHaveLength(6);
    expect(await check({ channel: 'email', to: 'ada@example.com', code: emailCode })).toHaveProperty('valid');

    await send({ channel: 'whatsapp', to: '+919876543210', whatsappTemplate: 'verify_code', whatsappLanguage: 'en' });
    const wa = graph.whatsappMessages.at(-1)!;
    expect(wa.type).toBe('template');
    const template = wa.body.template as { name: string; language: { code: string }; components: { type: string; parameters: { text: string }[] }[] };
    expect(template.name).toBe('verify_code');
    const waCode = template.components[0]!.parameters[0]!.text;
    expect(template.components[1]).toMatchObject({ type: 'button', sub_type: 'url', index: '0', parameters: [{ type: 'text', text: waCode }] });
    expect(outbound.at(-1)).toMatchObject({ messageType: 'template' });
    expect(JSON.stringify(outbound)).not.toContain(waCode);
    expect(await check({ channel: 'whatsapp', to: '+919876543210', code: waCode })).toHaveProperty('valid');
  });

  it('keeps no code and no cooldown when the provider refuses the message, and names a missing credential', async () => {
    twilioFake.fail({ status: 400, code: 21211, message: "The 'To' number is not a valid phone number." });
    await expect(send({ to: '+14155550104' })).rejects.toThrow(/Twilio error 21211/);
    const keys = otpKeys('default', 'sms', '+14155550104');
    expect(await channels.shortLived.get(keys.code)).toBeNull();
    expect(await send({ to: '+14155550104' })).toHaveProperty('sent');
    const missing = await runNode(sendCode, {}, { channel: 'email', to: 'bob@example.com' }, otpContext(http, channels, {})).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NonRetryableError);
    expect((missing as Error).message).toMatch(/^smtp: sending codes by email needs a SMTP credential/);
    const noStore = await runNode(sendCode, {}, { to: '+14155550105' }, otpContext(http, undefined, credentials())).catch((e: unknown) => e);
    expect((noStore as Error).message).toMatch(/no short-lived store/);
  });

  it('validates its props: a message without {code}, a bad purpose or length', () => {
    expect(sendCode.props.safeParse({ to: '+14155550101', message: 'no code here' }).error?.issues[0]?.path).toEqual(['message']);
    expect(sendCode.props.safeParse({ to: '+14155550101', purpose: 'a b' }).error?.issues[0]?.path).toEqual(['purpose']);
    expect(sendCode.props.safeParse({ to: '+14155550101', length: 3 }).error?.issues[0]?.path).toEqual(['length']);
  });
});
