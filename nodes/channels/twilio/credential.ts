import { z } from 'zod';
import { defineCredentialKind, ui } from '@switchyard/sdk';
import { ACCOUNT_SID_PATTERN, TWILIO_API, createTwilioClient, twilioCode } from './client.js';
import { replyWithTwilio } from './inbox-reply.js';
import { twilioInbound } from './inbound.js';
import { twilioSimulator } from './simulator.js';

/** A sender: a number in E.164, `whatsapp:+…`, or a Messaging Service SID (`MG…`). */
export const SENDER_PATTERN = /^(\+[1-9]\d{6,14}|whatsapp:\+[1-9]\d{6,14}|MG[0-9a-fA-F]{32}|[A-Za-z0-9 ]{1,11})$/;

/** A Twilio account: the REST API for sending, and the callback URL its numbers post incoming messages and statuses to. */
export default defineCredentialKind({
  kind: 'twilio',
  title: 'Twilio',
  description: 'A Twilio account (SMS, WhatsApp through Twilio, Verify). Paste the callback URL shown after saving into the number\'s messaging webhook.',
  schema: z.object({
    accountSid: ui(z.string().trim().regex(ACCOUNT_SID_PATTERN, 'the Account SID starts with AC followed by 32 hex digits (Twilio console → Account info)'), {
      title: 'Account SID', placeholder: 'AC…', expression: false,
    }),
    authToken: ui(z.string().trim().min(1, 'the Auth Token is required'), {
      title: 'Auth Token', secret: true, expression: false, description: 'Signs the webhooks Twilio sends, so the callback URL can tell them from forgeries',
    }),
    defaultFrom: ui(z.string().trim().regex(SENDER_PATTERN, 'a number in +E.164 form, whatsapp:+…, a Messaging Service SID (MG…) or an alphanumeric sender ID').optional(), {
      title: 'Default sender (optional)', placeholder: '+14155550100 or MG…', expression: false,
      description: 'Used by "Send SMS" when the node names no sender',
    }),
    baseUrl: ui(z.url({ protocol: /^https?$/, error: 'base URL must be an http(s) address' }).optional(), {
      title: 'API base URL', group: 'Advanced', placeholder: TWILIO_API, expression: false,
      description: `Every Twilio API (REST, Verify) is called here instead; for a proxy. Default: ${TWILIO_API}`,
    }),
  }),
  async test(fields, ctx) {
    const { client } = createTwilioClient({ accountSid: fields.accountSid ?? '', authToken: fields.authToken ?? '', baseUrl: fields.baseUrl }, ctx.http, ctx.signal);
    try {
      const account = await client.api.v2010.accounts(fields.accountSid ?? '').fetch();
      return { ok: true, message: `Connected to the Twilio account "${account.friendlyName}" (${account.status}).` };
    } catch (error) {
      if (twilioCode(error) === 20003) {
        return { ok: false, message: 'Twilio refused the Account SID and Auth Token (error 20003): check both in the Twilio console.' };
      }
      return { ok: false, message: `Twilio could not be reached or refused the call: ${error instanceof Error ? error.message : String(error)}` };
    }
  },
  inbound: { ...twilioInbound, simulator: twilioSimulator },
  replyText: replyWithTwilio,
});
