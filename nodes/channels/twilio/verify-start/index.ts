import { z } from 'zod';
import { defineNode, NonRetryableError, ui } from '@switchyard/sdk';
import { toE164 } from '../../_shared/phone.js';
import { callTwilio, createTwilioClient } from '../client.js';

/** A Verify Service SID (Twilio console → Verify → Services). */
export const VERIFY_SERVICE_PATTERN = /^VA[0-9a-fA-F]{32}$/;

/** Where a Verify code goes: a phone number for sms / whatsapp / call, an address for email. */
export function verifyRecipient(to: string, channel: string, defaultCountry: string | undefined): string {
  if (channel !== 'email') return toE164(to, 'to', defaultCountry);
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) throw new NonRetryableError(`to: "${to}" is not an email address`, { code: 'invalid_email' });
  return to;
}

export const verifyServiceField = ui(z.string().trim().regex(VERIFY_SERVICE_PATTERN, 'a Verify Service SID: VA followed by 32 hex digits'), {
  title: 'Verify Service SID', placeholder: 'VA…', description: 'Twilio console → Verify → Services',
});

const props = z.object({
  serviceSid: verifyServiceField,
  to: ui(z.string().trim().min(1, 'enter the recipient'), { title: 'To', description: 'The phone number (or the email address, on the email channel) to send the code to', placeholder: '+14155550123, or an email for the email channel' }),
  /** Default: 'sms'. */
  channel: ui(z.enum(['sms', 'whatsapp', 'call', 'email']).default('sms'), {
    title: 'Channel', description: 'How Twilio delivers the code', enumLabels: { sms: 'SMS', whatsapp: 'WhatsApp', call: 'Voice call', email: 'Email (needs an email integration on the service)' },
  }),
  /** Default: none (numbers must be international). */
  defaultCountry: ui(z.string().trim().regex(/^[A-Za-z]{2}$/, 'a two-letter country code, e.g. IN').optional(), { title: 'Default country (optional)', description: 'For numbers written without +country code', placeholder: 'US' }),
  /** Default: the service's language. */
  locale: ui(z.string().trim().regex(/^[a-z]{2}(-[A-Za-z]{2})?$/, 'a language like en or pt-BR').optional(), { title: 'Language (optional)', description: 'The language of the message; default: the Verify service\'s', placeholder: 'en' }),
});

/** Starts a Twilio Verify verification: Twilio generates the code, sends it and checks it (no code ever passes through the flow). */
export default defineNode({
  type: 'twilio.verify-start',
  version: 1,
  title: 'Twilio Verify: send code',
  category: 'Channels',
  description: 'Sends a one-time code with Twilio Verify (SMS, WhatsApp, voice or email)',
  icon: 'shield',
  props,
  credentials: { account: { kind: 'twilio', title: 'Twilio account' } },
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, props) {
    const account = ctx.credentials.account;
    const to = verifyRecipient(props.to, props.channel, props.defaultCountry);
    const { client, transport } = createTwilioClient({ accountSid: account.fields.accountSid ?? '', authToken: account.fields.authToken ?? '', baseUrl: account.fields.baseUrl }, ctx.http, ctx.signal);
    const verification = await callTwilio(transport, () => client.verify.v2.services(props.serviceSid).verifications.create({
      to, channel: props.channel, ...(props.locale ? { locale: props.locale } : {}),
    }), ctx.signal);
    return { main: { verificationSid: verification.sid, status: verification.status, to, channel: props.channel } };
  },
});
