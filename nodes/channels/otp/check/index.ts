import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { codeMatches, codeStore, normaliseRecipient, otpKeys, readRecord } from '../codes.js';
import { otpAddressFields } from '../props.js';

const props = z.object({
  ...otpAddressFields,
  code: ui(z.string().max(64, 'at most 64 characters'), { title: 'Code', description: 'What the contact typed (spaces and dashes are ignored)', placeholder: '{{ $trigger.text }}' }),
});

/**
 * Checks a code sent by "OTP: send code" (same channel, recipient and purpose). Ports: `valid` (the
 * code is used up), `invalid` (wrong; `attemptsLeft` says how many tries remain), `expired` (no code
 * pending: expired, used, or never sent) and `locked` (too many wrong codes: no code works until the
 * lock ends, and no new one is sent). Every check counts as an attempt; the comparison is constant-time.
 */
export default defineNode({
  type: 'otp.check',
  version: 1,
  title: 'OTP: check code',
  category: 'Channels',
  description: 'Checks a one-time code sent with "OTP: send code"',
  icon: 'shield',
  props,
  ports: { in: ['main'], out: ['valid', 'invalid', 'expired', 'locked'] },
  sideEffects: true,
  async run(ctx, _input, props) {
    const store = codeStore(ctx.channels?.shortLived);
    const to = normaliseRecipient(props.channel, props.to, props.defaultCountry);
    const keys = otpKeys(props.purpose, props.channel, to);
    const base = { to, channel: props.channel, purpose: props.purpose };
    const lockedFor = await store.ttl(keys.lock);
    if (lockedFor !== null) return { locked: { ...base, retryAfterSeconds: Math.ceil(lockedFor / 1000) } };
    const record = readRecord(await store.get(keys.code));
    const now = Date.now();
    if (!record || record.expiresAt <= now) return { expired: base };
    const attempt = await store.increment(keys.attempts, Math.max(record.expiresAt - now, 1000));
    const lock = async () => {
      await store.put(keys.lock, now, record.lockMs);
      await store.delete(keys.code);
      return { locked: { ...base, retryAfterSeconds: Math.ceil(record.lockMs / 1000) } };
    };
    if (attempt > record.maxAttempts) return lock();
    if (await codeMatches(props.code.replace(/[\s-]+/g, ''), record)) {
      // Of two checks racing with the right code, only the one that takes the record succeeds.
      if (!(await store.delete(keys.code))) return { expired: base };
      await store.delete(keys.attempts);
      return { valid: base };
    }
    if (attempt >= record.maxAttempts) return lock();
    return { invalid: { ...base, attemptsLeft: record.maxAttempts - attempt } };
  },
});
