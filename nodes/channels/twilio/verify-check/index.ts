import { z } from 'zod';
import { defineNode, NodeError, ui } from '@switchyard/sdk';
import { callTwilio, createTwilioClient } from '../client.js';
import { verifyRecipient, verifyServiceField } from '../verify-start/index.js';

/** Twilio Verify's "no pending verification" (expired after 10 minutes, already approved, or canceled). */
const NOT_FOUND = 20404;
/** Twilio Verify's "max check attempts reached" (5 wrong codes). */
const MAX_ATTEMPTS = 60202;

const props = z.object({
  serviceSid: verifyServiceField,
  to: ui(z.string().trim().min(1, 'enter the number or address the code was sent to'), { title: 'To', description: 'The number or address the code was sent to', placeholder: '{{ $node.verify.to }}' }),
  code: ui(z.string().trim().regex(/^[0-9A-Za-z]{4,10}$/, 'a code of 4 to 10 letters or digits'), { title: 'Code', description: 'The code the contact typed', placeholder: '{{ $trigger.text }}' }),
  /** Default: 'sms' (only `email` changes how `to` is read). */
  channel: ui(z.enum(['sms', 'whatsapp', 'call', 'email']).default('sms'), { title: 'Channel the code was sent on', description: 'Only email changes how "To" is read', enumLabels: { sms: 'SMS', whatsapp: 'WhatsApp', call: 'Voice call', email: 'Email' } }),
  /** Default: none. */
  defaultCountry: ui(z.string().trim().regex(/^[A-Za-z]{2}$/, 'a two-letter country code, e.g. IN').optional(), { title: 'Default country (optional)', description: 'For numbers written without +country code', placeholder: 'US' }),
});

function providerCode(error: unknown): unknown {
  return error instanceof NodeError ? (error.details as { providerCode?: unknown } | undefined)?.providerCode : undefined;
}

/**
 * Checks a code with Twilio Verify. Ports: `valid` (approved), `invalid` (wrong code; the contact may
 * try again), `expired` (no pending verification: expired, used or canceled) and `locked` (too many
 * wrong codes). Twilio counts the attempts and compares the code.
 */
export default defineNode({
  type: 'twilio.verify-check',
  version: 1,
  title: 'Twilio Verify: check code',
  category: 'Channels',
  description: 'Checks a one-time code sent with Twilio Verify',
  icon: 'shield',
  props,
  credentials: { account: { kind: 'twilio', title: 'Twilio account' } },
  ports: { in: ['main'], out: ['valid', 'invalid', 'expired', 'locked'] },
  sideEffects: true,
  async run(ctx, _input, props) {
    const account = ctx.credentials.account;
    const to = verifyRecipient(props.to, props.channel, props.defaultCountry);
    const { client, transport } = createTwilioClient({ accountSid: account.fields.accountSid ?? '', authToken: account.fields.authToken ?? '', baseUrl: account.fields.baseUrl }, ctx.http, ctx.signal);
    try {
      const check = await callTwilio(transport, () => client.verify.v2.services(props.serviceSid).verificationChecks.create({ to, code: props.code }), ctx.signal);
      const result = { to, status: check.status, verificationSid: check.sid };
      return check.status === 'approved' ? { valid: result } : { invalid: result };
    } catch (error) {
      const code = providerCode(error);
      if (code === NOT_FOUND) return { expired: { to, status: 'expired' } };
      if (code === MAX_ATTEMPTS) return { locked: { to, status: 'max_attempts_reached' } };
      throw error;
    }
  },
});
