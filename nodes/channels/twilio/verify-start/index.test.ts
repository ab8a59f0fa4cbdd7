import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NonRetryableError, type CredentialValue } from '@switchyard/sdk';
import { createHttpClient } from '../../../../runtime/net/client.js';
import { createTestContext, runNode } from '../../../testing.js';
import { startTwilioFake, type TwilioFake } from '../fake.js';
import verifyStart from './index.js';

const SERVICE = 'VA' + '1'.repeat(32);
let fake: TwilioFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });
beforeAll(async () => { fake = await startTwilioFake(); });
afterAll(async () => { http.close(); await fake.close(); });

function start(props: Parameters<typeof runNode<typeof verifyStart.props, NonNullable<typeof verifyStart.credentials>>>[2]) {
  const account: CredentialValue = { id: 'cred-tw', kind: 'twilio', fields: { accountSid: fake.accountSid, authToken: fake.authToken, baseUrl: fake.url } };
  return runNode(verifyStart, {}, props, createTestContext<NonNullable<typeof verifyStart.credentials>>({ http, credentials: { account } }));
}

describe('twilio.verify-start', () => {
  it('starts a verification at Verify v2 (verify.twilio.com rewritten to the base URL) and outputs its SID, never a code', async () => {
    const result = await start({ serviceSid: SERVICE, to: '(415) 555-0123', defaultCountry: 'US', locale: 'en' });
    expect(fake.verifications).toHaveLength(1);
    const verification = fake.verifications[0]!;
    expect(verification).toMatchObject({ serviceSid: SERVICE, to: '+14155550123', channel: 'sms', status: 'pending' });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'POST', path: `/v2/Services/${SERVICE}/Verifications`, form: { To: ['+14155550123'], Channel: ['sms'], Locale: ['en'] }, authorized: true });
    expect(result).toEqual({ main: { verificationSid: verification.sid, status: 'pending', to: '+14155550123', channel: 'sms' } });
    expect(JSON.stringify(result)).not.toContain(verification.code);
  });

  it('takes an email address on the email channel and refuses a malformed one or a bad service SID', async () => {
    await start({ serviceSid: SERVICE, to: 'ada@example.com', channel: 'email' });
    expect(fake.verifications.at(-1)).toMatchObject({ to: 'ada@example.com', channel: 'email' });
    await expect(start({ serviceSid: SERVICE, to: 'ada@', channel: 'email' })).rejects.toThrow(/^to: "ada@" is not an email address/);
    await expect(start({ serviceSid: SERVICE, to: 'ada@example.com', channel: 'sms' })).rejects.toBeInstanceOf(NonRetryableError);
    expect(verifyStart.props.safeParse({ serviceSid: 'VAnope', to: '+14155550123' }).error?.issues[0]?.path).toEqual(['serviceSid']);
  });
});
