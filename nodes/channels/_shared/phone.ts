import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { NonRetryableError } from '@switchyard/sdk';

/** Numbers parsed once kept at once; past it the memo starts over (a bound, not an LRU). */
const MAX_MEMO = 10_000;
/**
 * Valid numbers already parsed, by default country and text. libphonenumber's parse and validity
 * check were ~0.2 ms of worker CPU per reply in the channels benchmark, and a flow replies to the
 * same contacts over and over; the result depends only on the two inputs.
 */
const parsed = new Map<string, string>();

/**
 * A phone number in E.164 (`+919876543210`), or a step error naming the field. National formats
 * need `defaultCountry` (ISO 3166 alpha-2, e.g. `IN`); `whatsapp:` prefixes (Twilio) are kept off.
 */
export function toE164(value: string, field: string, defaultCountry?: string): string {
  const trimmed = value.trim().replace(/^whatsapp:/i, '');
  const country = defaultCountry ? defaultCountry.toUpperCase() : '';
  const key = `${country}:${trimmed}`;
  const known = parsed.get(key);
  if (known !== undefined) return known;
  const number = parsePhoneNumberFromString(trimmed, country ? (country as CountryCode) : undefined);
  if (!number || !number.isValid()) {
    throw new NonRetryableError(`${field}: "${value}" is not a valid phone number${defaultCountry ? '' : ' (use the international format, +<country code><number>, or set a default country)'}`, { code: 'invalid_phone' });
  }
  if (parsed.size >= MAX_MEMO) parsed.clear();
  parsed.set(key, number.number);
  return number.number;
}
