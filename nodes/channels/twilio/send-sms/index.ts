import { z } from 'zod';
import { defineNode, NodeError, NonRetryableError, ui, type MediaRef } from '@switchyard/sdk';
import { toE164 } from '../../_shared/phone.js';
import { fitText } from '../../_shared/text.js';
import { callTwilio, createTwilioClient } from '../client.js';
import { SENDER_PATTERN } from '../credential.js';
import { simulatedSend } from '../simulator.js';

/** Twilio's limit for one message body (longer bodies are refused with error 21617). */
export const SMS_BODY_LIMIT = 1600;
/** Twilio accepts at most 10 media URLs per message. */
const MAX_MEDIA = 10;

/** Twilio's error for a recipient who replied STOP: they must text START before we may send again. */
const UNSUBSCRIBED = 21610;

const props = z.object({
  to: ui(z.string().trim().min(1, 'enter the recipient'), {
    title: 'To', placeholder: '+14155550123 or {{ $trigger.contact.id }}',
    description: 'A phone number (E.164, or national with a default country); prefix whatsapp: to send on WhatsApp through Twilio',
  }),
  /** ISO country for national numbers, e.g. `IN`. Default: none (numbers must be international). */
  defaultCountry: ui(z.string().trim().regex(/^[A-Za-z]{2}$/, 'a two-letter country code, e.g. IN').optional(), {
    title: 'Default country (optional)', placeholder: 'US', description: 'For numbers written without +country code',
  }),
  /** Default: the credential's default sender. */
  from: ui(z.string().trim().optional(), {
    title: 'From (optional)', placeholder: '+14155550100, whatsapp:+… or MG…',
    description: 'A Twilio number, a Messaging Service SID or an alphanumeric sender ID; default: the account\'s default sender',
  }),
  body: ui(z.string().default(''), { title: 'Message', description: `The text; over ${SMS_BODY_LIMIT} characters it is split or refused (below). May be empty when media is sent`, widget: 'textarea', placeholder: 'Thanks, {{ $trigger.contact.name }}!' }),
  /** Default: none. */
  mediaUrls: ui(z.array(z.string().trim().min(1)).max(MAX_MEDIA, `Twilio sends at most ${MAX_MEDIA} media per message`).default([]), {
    title: 'Media URLs (MMS / WhatsApp)', description: 'Public http(s) URLs Twilio fetches (JPEG, PNG and GIF everywhere; more types on WhatsApp)',
  }),
  /** Default: 'split'. */
  overLongText: ui(z.enum(['split', 'refuse']).default('split'), {
    title: `Text over ${SMS_BODY_LIMIT} characters`, description: 'Twilio refuses longer bodies: send several messages, or fail the step', enumLabels: { split: 'Send it in several messages', refuse: 'Fail the step' },
  }),
  /** Default: true. */
  statusUpdates: ui(z.boolean().default(true), {
    title: 'Track delivery', description: 'Twilio reports sent / delivered / failed to the account\'s callback URL and the conversation shows it',
  }),
  /** Sends per second from one sender, across all workers. Default: 10 (Twilio queues bursts itself; a US long code delivers about 1/s). */
  perSecond: ui(z.number().int().min(1).max(1000).default(10), { title: 'Sends per second (per sender)', description: 'Shared by all workers; Twilio queues what goes over the number\'s own throughput', group: 'Advanced' }),
});

type Props = z.infer<typeof props>;

/** `whatsapp:+…` keeps its prefix with the number normalised; anything else must be a phone number. */
function recipient(props: Props): string {
  const whatsapp = /^whatsapp:/i.test(props.to);
  const number = toE164(props.to, 'to', props.defaultCountry);
  return whatsapp ? `whatsapp:${number}` : number;
}

function mediaRefs(urls: string[]): MediaRef[] {
  return urls.map((url, i) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new NonRetryableError(`mediaUrls[${i}]: "${url}" is not a URL`, { code: 'invalid_media' });
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
      throw new NonRetryableError(`mediaUrls[${i}]: Twilio fetches media over http(s) only, not ${parsed.protocol}`, { code: 'invalid_media' });
    }
    return { kind: 'image', url };
  });
}

/**
 * Sends an SMS (or a WhatsApp message through Twilio) with the official SDK. A text over 1,600
 * characters is split or refused; each part is one Twilio message. Twilio takes no idempotency key
 * for messages, so a step retried after a part was accepted may repeat that part — the runtime
 * never re-runs a step that succeeded.
 */
export default defineNode({
  type: 'twilio.send-sms',
  version: 1,
  title: 'Send SMS (Twilio)',
  category: 'Channels',
  description: 'Sends a text message (SMS, MMS, or WhatsApp through Twilio) and tracks its delivery',
  icon: 'message',
  props,
  credentials: { account: { kind: 'twilio', title: 'Twilio account' } },
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, props) {
    const account = ctx.credentials.account;
    const to = recipient(props);
    let from = props.from || account.fields.defaultFrom || '';
    if (!from) throw new NonRetryableError('from: no sender: set one on the node or a default sender on the Twilio credential', { code: 'missing_sender' });
    if (!SENDER_PATTERN.test(from)) throw new NonRetryableError(`from: "${from}" is not a Twilio number, whatsapp:+…, Messaging Service SID or sender ID`, { code: 'invalid_sender' });
    const viaService = from.startsWith('MG');
    if (to.startsWith('whatsapp:') && !viaService && !from.startsWith('whatsapp:')) from = `whatsapp:${from}`;
    const media = mediaRefs(props.mediaUrls);
    const parts = props.body === '' && media.length > 0 ? [''] : fitText(props.body, SMS_BODY_LIMIT, props.overLongText, 'body');
    const credentialId = account.id ?? '';
    const { client, transport } = createTwilioClient({ accountSid: account.fields.accountSid ?? '', authToken: account.fields.authToken ?? '', baseUrl: account.fields.baseUrl }, ctx.http, ctx.signal);
    const statusCallback = props.statusUpdates ? account.callbackUrl : undefined;

    const sids: string[] = [];
    let status = '';
    for (const [index, part] of parts.entries()) {
      await ctx.channels?.acquire(`twilio:${credentialId}:${from}`, props.perSecond, ctx.signal);
      const partMedia = index === 0 ? media : [];
      let message;
      try {
        // The chat simulator's contact (decision 031): recorded below, never sent.
        message = await simulatedSend(ctx.channels, credentialId, to) ?? await callTwilio(transport, () => client.messages.create({
          to,
          ...(viaService ? { messagingServiceSid: from } : { from }),
          ...(part !== '' ? { body: part } : {}),
          ...(partMedia.length > 0 ? { mediaUrl: partMedia.map((m) => m.url ?? '') } : {}),
          ...(statusCallback ? { statusCallback } : {}),
        }), ctx.signal);
      } catch (error) {
        if (error instanceof NodeError && (error.details as { providerCode?: unknown } | undefined)?.providerCode === UNSUBSCRIBED && credentialId) {
          await ctx.channels?.markBlocked(credentialId, to);
        }
        throw error;
      }
      sids.push(message.sid);
      status = message.status;
      if (credentialId) {
        await ctx.channels?.recordOutbound({
          credentialId, contactId: to, providerMessageId: message.sid,
          messageType: partMedia.length > 0 ? 'image' : 'text',
          ...(part !== '' ? { text: part } : {}),
          ...(partMedia.length > 0 ? { media: partMedia } : {}),
          status: 'queued',
        });
      }
    }
    return { main: { messageSid: sids[0] ?? null, messageSids: sids, parts: sids.length, to, from, status } };
  },
});
