import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialValue } from '@switchyard/sdk';
import { createHttpClient } from '../../../../runtime/net/client.js';
import { createTestContext, runNode } from '../../../testing.js';
import { startTwilioFake, type TwilioFake } from '../fake.js';
import verifyStart from '../verify-start/index.js';
import verifyCheck from './index.js';

const SERVICE = 'VA' + '2'.repeat(32);
let fake: TwilioFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startTwilioFake({ verifyCode: '424242' }); });
afterAll(async () => { http.close(); await fake.close(); });

function ctx() {
  const account: CredentialValue = { id: 'cred-tw', kind: 'twilio', fields: { accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url } };
  return createTestContext<NonNullable<typeof verifyCheck.credentials>>({ http, credentials: { account } });
}
const check = (to: string, code: string) => runNode(verifyCheck, {}, { serviceSid: SERVICE, to, code }, ctx());

describe('twilio.verify-check', () => {
  it('routes a wrong code to invalid, the right one to valid, and a used verification to expired', async () => {
    await runNode(verifyStart, {}, { serviceSid: SERVICE, to: '+14155550123' }, ctx());
    expect(await check('+14155550123', '000000')).toEqual({ invalid: { to: '+14155550123', status: 'pending', verificationSid: fake.verifications[0]!.sid } });
    expect(await check('+1 415 555 0123', '424242')).toEqual({ valid: { to: '+14155550123', status: 'approved', verificationSid: fake.verifications[0]!.sid } });
    expect(await check('+14155550123', '424242')).toEqual({ expired: { to: '+14155550123', status: 'expired' } });
    expect(fake.requests.filter((r) => r.path === `/v2/Services/${SERVICE}/VerificationCheck`).map((r) => r.form.Code?.[0])).toEqual(['000000', '424242', '424242']);
  });

  it('routes Twilio\'s "max check attempts reached" (429, 60202) to locked without waiting or retrying', async () => {
    await runNode(verifyStart, {}, { serviceSid: SERVICE, to: '+14155550124' }, ctx());
    fake.fail({ path: /VerificationCheck$/, status: 429, code: 60202, message: 'Max check attempts reached', retryAfter: 1 });
    const before = fake.requests.length;
    expect(await check('+14155550124', '111111')).toEqual({ locked: { to: '+14155550124', status: 'max_attempts_reached' } });
    expect(fake.requests.length - before).toBe(1);
  });

  it('refuses a malformed code as a props error', () => {
    expect(verifyCheck.props.safeParse({ serviceSid: SERVICE, to: '+14155550123', code: '12 34' }).error?.issues[0]?.path).toEqual(['code']);
  });
});
