import { z } from 'zod';
import { isJsonObject, NonRetryableError, ui, type Json } from '@switchyard/sdk';

/** The credential slot every WhatsApp node uses: the business number it sends from or listens to. */
export const accountSlot = { account: { kind: 'whatsapp-cloud', title: 'WhatsApp account' } } as const;

/** Recipient: a number or WhatsApp ID; empty replies to the incoming message's contact. */
export const toField = ui(z.string().trim().max(40).optional(), {
  title: 'To',
  description: 'Phone number in international format (+14155552671) or a WhatsApp ID. Empty: the contact of the incoming message',
  placeholder: '{{ $json.contact.id }}',
});

/** For numbers written without their country code. Default: none (numbers must be international). */
export const defaultCountryField = ui(z.string().trim().regex(/^[A-Za-z]{2}$/, 'a two-letter country code such as IN or US').optional(), {
  title: 'Default country', description: 'Country of numbers written without a country code (ISO code such as IN, US, GB)', placeholder: 'IN', group: 'Options',
});

/** Quote an earlier message (WhatsApp shows the reply above it). Default: none. */
export const replyToField = ui(z.string().trim().max(200).optional(), {
  title: 'Reply to message', description: 'Message id (wamid) to quote, e.g. {{ $json.messageId }}', group: 'Options',
});

/** What a send outputs, as one shape for every WhatsApp send node. */
export function sentOutput(sent: { messageId: string; waId: string; to: string }, extra: Record<string, string | string[] | number> = {}) {
  return { main: { messageId: sent.messageId, to: sent.to, waId: sent.waId, ...extra } };
}

/** `value`, or when empty the incoming message's `key` (a WhatsApp trigger's `messageId`), or a step error naming the field. */
export function orFromInput(value: string | undefined, input: Json, key: string, field: string): string {
  const given = value?.trim() ?? '';
  if (given !== '') return given;
  const fromInput = isJsonObject(input) ? input[key] : undefined;
  if (typeof fromInput === 'string' && fromInput !== '') return fromInput;
  throw new NonRetryableError(`${field}: empty, and the incoming message has no ${key}`, { code: 'missing_field' });
}
