import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTwilioFake, type TwilioFake } from '../../nodes/channels/twilio/fake.js';
import { templateBed } from '../_testing/harness.js';

const bed = templateBed();
let twilio: TwilioFake;

beforeAll(async () => {
  twilio = await startTwilioFake();
});
afterAll(async () => {
  await twilio?.close();
});

async function call(body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${bed.http.base}/hooks/login-code`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** The code in the last SMS the Twilio fake accepted for `phone`. */
function lastCode(phone: string): string {
  const sms = twilio.messages.filter((m) => m.to === phone).at(-1);
  const code = sms?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code texted to ${phone}`);
  return code;
}

describe('template: One-time code login by SMS', () => {
  it('texts a code through Twilio, refuses a wrong one with attempts left, accepts the right one once, and holds resends for 30 s', async () => {
    const sms = await bed.credential('twilio', 'Twilio fake', { accountSid: twilio.accountSid, authToken: twilio.authToken, baseUrl: twilio.url, defaultFrom: '+15005550006' });
    const imported = await bed.importTemplate('otp-login-sms', { sms });
    await bed.activate(imported.flowId);

    const sent = await call({ action: 'send', phone: '+14155550123' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ sent: true, expiresAt: expect.any(String) });
    expect(twilio.messages).toHaveLength(1);
    expect(twilio.messages[0]!.body).toMatch(/^Your login code is \d{6}\. It expires in 10 minutes\.$/);
    const code = lastCode('+14155550123');

    expect(await call({ action: 'send', phone: '+14155550123' })).toMatchObject({ status: 429, body: { retryAfterSeconds: expect.any(Number) } });
    expect(twilio.messages).toHaveLength(1);

    const wrong = code === '000000' ? '111111' : '000000';
    expect(await call({ action: 'verify', phone: '+14155550123', code: wrong })).toEqual({ status: 401, body: { verified: false, attemptsLeft: 4 } });
    expect(await call({ action: 'verify', phone: '+14155550123', code })).toEqual({ status: 200, body: { verified: true } });
    expect((await call({ action: 'verify', phone: '+14155550123', code })).status).toBe(410);
  });

  it('locks the number after five wrong codes: the right code and a new one are both refused with 423', async () => {
    expect((await call({ action: 'send', phone: '+14155550199' })).status).toBe(200);
    const code = lastCode('+14155550199');
    const wrong = code === '000000' ? '111111' : '000000';
    const answers: number[] = [];
    for (let i = 0; i < 5; i++) answers.push((await call({ action: 'verify', phone: '+14155550199', code: wrong })).status);
    expect(answers.slice(0, 4)).toEqual([401, 401, 401, 401]);
    expect(answers[4]).toBe(423);
    expect((await call({ action: 'verify', phone: '+14155550199', code })).status).toBe(423);
    const resend = await call({ action: 'send', phone: '+14155550199' });
    expect(resend.status).toBe(423);
    expect(twilio.messages.filter((m) => m.to === '+14155550199')).toHaveLength(1);
  });
});
