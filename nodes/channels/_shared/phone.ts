import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { NonRetryableError } from '@switchyard/sdk';

/**
 * A phone number in E.164 (`+919876543210`), or a step error naming the field. National formats
 * need `defaultCountry` (ISO 3166 alpha-2, e.g. `IN`); `whatsapp:` prefixes (Twilio) are kept off.
 */
export function toE164(value: string, field: string, defaultCountry?: string): string {
  const trimmed = value.trim().replace(/^whatsapp:/i, '');
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry ? (defaultCountry.toUpperCase() as CountryCode) : undefined);
  if (!parsed || !parsed.isValid()) {
    throw new NonRetryableError(`${field}: "${value}" is not a valid phone number${defaultCountry ? '' : ' (use the international format, +<country code><number>, or set a default country)'}`, { code: 'invalid_phone' });
  }
  return parsed.number;
}
