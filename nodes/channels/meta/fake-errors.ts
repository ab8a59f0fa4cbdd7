import { randomBytes } from 'node:crypto';
import type { JsonObject } from '@switchyard/sdk';

/** Graph's titles for the errors tests script. */
const TITLES: Record<number, string> = {
  4: 'Application request limit reached',
  10: 'This message is sent outside of allowed window.',
  190: 'Invalid OAuth access token - Cannot parse access token',
  551: 'This person isn\'t available right now.',
  80007: 'Rate limit issues',
  130429: 'Rate limit hit',
  131026: 'Message Undeliverable.',
  131047: 'Re-engagement message',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
};
const DETAILS: Record<number, string> = {
  131047: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  131026: 'Message failed to send because the recipient could not be reached.',
};

/** A Graph error answer as the real API shapes it. */
export function graphErrorBody(code: number, message?: string, subcode?: number): JsonObject {
  const error: JsonObject = {
    message: `(#${code}) ${message ?? TITLES[code] ?? 'An unknown error occurred'}`,
    type: 'OAuthException',
    code,
    fbtrace_id: randomBytes(8).toString('base64url'),
  };
  if (subcode !== undefined) error.error_subcode = subcode;
  if (DETAILS[code]) error.error_data = { messaging_product: 'whatsapp', details: DETAILS[code] };
  return { error };
}
