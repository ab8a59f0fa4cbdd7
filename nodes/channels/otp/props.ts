import { z } from 'zod';
import { ui } from '@switchyard/sdk';
import { OTP_CHANNELS } from './codes.js';

/** The fields otp.send and otp.check share: they must agree on them for a check to find its code. */
export const otpAddressFields = {
  /** Default: 'sms'. */
  channel: ui(z.enum(OTP_CHANNELS).default('sms'), {
    title: 'Channel', description: 'How the code travels (the check must name the same channel)',
    enumLabels: { sms: 'SMS (Twilio)', whatsapp: 'WhatsApp (Cloud API)', email: 'Email (SMTP)' },
  }),
  to: ui(z.string().trim().min(1, 'enter the recipient'), {
    title: 'To', description: 'The phone number (SMS, WhatsApp) or email address', placeholder: '+14155550123 or ada@example.com',
  }),
  /** Default: none (numbers must be international). */
  defaultCountry: ui(z.string().trim().regex(/^[A-Za-z]{2}$/, 'a two-letter country code, e.g. IN').optional(), {
    title: 'Default country (optional)', description: 'For numbers written without +country code', placeholder: 'US',
  }),
  /** Default: 'default'. */
  purpose: ui(z.string().trim().regex(/^[A-Za-z0-9_-]{1,40}$/, 'letters, digits, - and _ (up to 40)').default('default'), {
    title: 'Purpose', description: 'Keeps codes for different purposes apart (login, payment, …); the check must name the same', placeholder: 'login',
  }),
};
