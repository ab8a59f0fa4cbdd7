import addressparser from 'nodemailer/lib/addressparser';
import { NonRetryableError } from '@switchyard/sdk';

/** One mailbox of an address list. */
export interface MailAddress { name: string; address: string }

const ADDRESS = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

/** The mailboxes of an address list (`Ada <ada@example.com>, bob@example.com`); any malformed one makes it empty. */
export function parseAddressList(value: string): MailAddress[] {
  if (value.trim() === '') return [];
  const parsed = addressparser(value, { flatten: true }).map((a) => ({ name: a.name, address: a.address }));
  return parsed.every((a) => ADDRESS.test(a.address)) ? parsed : [];
}

/**
 * The addresses of a recipient field, or a step error naming the field and the bad entry. Empty
 * is allowed when `required` is false.
 */
export function addressField(value: string | undefined, field: string, required: boolean): MailAddress[] {
  const text = (value ?? '').trim();
  if (text === '') {
    if (required) throw new NonRetryableError(`${field}: enter at least one address`, { code: 'invalid_address' });
    return [];
  }
  const parsed = addressparser(text, { flatten: true });
  const bad = parsed.find((a) => !ADDRESS.test(a.address));
  if (parsed.length === 0 || bad) {
    throw new NonRetryableError(`${field}: "${bad ? bad.address || bad.name : text}" is not an email address`, { code: 'invalid_address' });
  }
  return parsed.map((a) => ({ name: a.name, address: a.address }));
}
