import { createHash, randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { ChannelCapabilities, InboundSimulator } from '@switchyard/sdk';
import { fictionalPhoneNumber, isSimulatedContact } from '../_shared/simulated.js';
import { SIGNATURE_HEADER } from './inbound.js';

/**
 * The chat simulator's Twilio contact (decision 031): a number from the range reserved for fiction,
 * texting the account's default sender. The delivery is the form Twilio posts for an incoming SMS
 * (a quick-reply tap as `ButtonPayload`/`ButtonText`), signed over the account's callback URL with
 * the Auth Token by the `twilio` SDK's own signing function — what `validateRequest` checks.
 */
export const twilioSimulator: InboundSimulator = {
  contactId: (serial) => fictionalPhoneNumber(serial),
  deliver(account, message) {
    const sid = `SM${createHash('sha256').update(message.id).digest('hex').slice(0, 32)}`;
    const params: Record<string, string> = {
      MessageSid: sid, SmsSid: sid, SmsMessageSid: sid, AccountSid: account.fields.accountSid ?? '', ApiVersion: '2010-04-01',
      From: message.contact.id, To: account.fields.defaultFrom ?? '', SmsStatus: 'received', NumMedia: '0', NumSegments: '1',
      Body: message.choice ? message.choice.title : (message.text ?? ''),
      ...(message.choice ? { ButtonPayload: message.choice.id, ButtonText: message.choice.title } : {}),
    };
    const signature = twilio.getExpectedTwilioSignature(account.fields.authToken ?? '', account.callbackUrl, params);
    return { headers: { 'content-type': 'application/x-www-form-urlencoded', [SIGNATURE_HEADER]: signature }, body: new URLSearchParams(params).toString() };
  },
};

/**
 * A send to the simulator's contact (decision 031): Twilio is not called, and the answer is the
 * message resource's `sid` and `status` as Twilio gives them for an accepted message. Undefined for
 * a real recipient.
 */
export async function simulatedSend(channels: ChannelCapabilities | undefined, credentialId: string | undefined, to: string): Promise<{ sid: string; status: string } | undefined> {
  if (!(await isSimulatedContact(channels, credentialId, to))) return undefined;
  return { sid: `SM${randomBytes(16).toString('hex')}`, status: 'queued' };
}
