import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { codeStore, generateCode, hashCode, normaliseRecipient, otpKeys } from '../codes.js';
import { deliverCode } from '../deliver.js';
import { otpAddressFields } from '../props.js';

const props = z.object({
  ...otpAddressFields,
  /** Default: 6. */
  length: ui(z.number().int().min(4).max(10).default(6), { title: 'Digits', description: 'How many digits the code has' }),
  /** Default: 10 minutes. */
  expiryMinutes: ui(z.number().int().min(1).max(60).default(10), { title: 'Valid for (minutes)', description: 'After this the code no longer works' }),
  /** Default: 30 s. */
  cooldownSeconds: ui(z.number().int().min(0).max(3600).default(30), {
    title: 'Resend cooldown (seconds)', description: 'A new code for the same recipient is refused (port "cooldown") until this has passed',
  }),
  /** Default: 5. */
  maxAttempts: ui(z.number().int().min(1).max(20).default(5), {
    title: 'Attempts', description: 'Wrong codes allowed before the recipient is locked out until the code would have expired',
  }),
  /** Default: 'Your verification code is {code}. It expires in {minutes} minutes.' */
  message: ui(z.string().min(1).refine((m) => m.includes('{code}'), 'the message must contain {code}').default('Your verification code is {code}. It expires in {minutes} minutes.'), {
    title: 'Message', description: '{code} becomes the code and {minutes} the validity', widget: 'textarea',
  }),
  /** Default: the Twilio credential's default sender. */
  from: ui(z.string().trim().optional(), { title: 'SMS sender (optional)', description: 'A Twilio number or Messaging Service SID; default: the account\'s default sender' }),
  /** Default: 'Your verification code'. */
  subject: ui(z.string().default('Your verification code'), { title: 'Email subject', description: 'The subject when the code goes by email' }),
  /** Default: none (a plain text message, which WhatsApp accepts only within 24 hours of the contact's last message). */
  whatsappTemplate: ui(z.string().trim().optional(), {
    title: 'WhatsApp template (optional)', description: 'An approved authentication template; its body and copy-code button get the code', placeholder: 'verify_code',
  }),
  /** Default: 'en_US'. */
  whatsappLanguage: ui(z.string().trim().default('en_US'), { title: 'WhatsApp template language', description: 'The template\'s language code' }),
});

/**
 * Sends a one-time code (built in, no verification service needed). The code is kept only as a
 * salted scrypt hash in the workspace's short-lived store, keyed by purpose + channel + recipient,
 * so an "OTP: check code" in another flow finds it; it appears in the message and nowhere else (not
 * in the step's output, logs or the conversation, where it is masked). Ports: `sent`; `cooldown`
 * when a code went to the same recipient too recently; `locked` after too many wrong codes.
 */
export default defineNode({
  type: 'otp.send',
  version: 1,
  title: 'OTP: send code',
  category: 'Channels',
  description: 'Sends a one-time code by SMS, WhatsApp or email, with expiry, resend cooldown and attempt limit',
  icon: 'shield',
  props,
  credentials: {
    twilio: { kind: 'twilio', optional: true, title: 'Twilio account (SMS)' },
    whatsapp: { kind: 'whatsapp-cloud', optional: true, title: 'WhatsApp number' },
    smtp: { kind: 'smtp', optional: true, title: 'SMTP server (email)' },
  },
  ports: { in: ['main'], out: ['sent', 'cooldown', 'locked'] },
  sideEffects: true,
  async run(ctx, _input, props) {
    const store = codeStore(ctx.channels?.shortLived);
    const to = normaliseRecipient(props.channel, props.to, props.defaultCountry);
    const keys = otpKeys(props.purpose, props.channel, to);
    const lockedFor = await store.ttl(keys.lock);
    if (lockedFor !== null) return { locked: { to, channel: props.channel, retryAfterSeconds: Math.ceil(lockedFor / 1000) } };
    if (props.cooldownSeconds > 0 && !(await store.put(keys.cooldown, Date.now(), props.cooldownSeconds * 1000, { onlyIfAbsent: true }))) {
      const left = (await store.ttl(keys.cooldown)) ?? props.cooldownSeconds * 1000;
      return { cooldown: { to, channel: props.channel, retryAfterSeconds: Math.max(1, Math.ceil(left / 1000)) } };
    }
    const code = generateCode(props.length);
    const expiryMs = props.expiryMinutes * 60_000;
    const expiresAt = Date.now() + expiryMs;
    // A new code replaces the last one (it stops working) and starts a fresh count of attempts.
    await store.put(keys.code, { ...(await hashCode(code, { expiresAt, maxAttempts: props.maxAttempts, lockMs: expiryMs })) }, expiryMs);
    await store.delete(keys.attempts);
    let messageId: string;
    try {
      messageId = await deliverCode(ctx, { twilio: ctx.credentials.twilio, whatsapp: ctx.credentials.whatsapp, smtp: ctx.credentials.smtp }, {
        channel: props.channel, to, code,
        text: props.message.split('{code}').join(code).split('{minutes}').join(String(props.expiryMinutes)),
        from: props.from, subject: props.subject, whatsappTemplate: props.whatsappTemplate, whatsappLanguage: props.whatsappLanguage,
      });
    } catch (error) {
      // Not sent: nothing to check against, and no reason to make the contact wait.
      await store.delete(keys.code);
      await store.delete(keys.cooldown);
      throw error;
    }
    return { sent: { to, channel: props.channel, purpose: props.purpose, expiresAt: new Date(expiresAt).toISOString(), length: props.length, messageId } };
  },
});
