import { z } from 'zod';
import { ui } from '@switchyard/sdk';

/** A string, or a number read as its decimal text (ids that come from expressions). */
export function idText(schema: z.ZodString) {
  return z.preprocess((v) => (typeof v === 'number' ? String(v) : v), schema);
}

/** Notes as name/value pairs (Razorpay allows 15, each value up to 256 characters). Default: none. */
export const notesProp = ui(z.array(z.object({
  name: ui(z.string().trim().min(1).max(64), { title: 'Name', description: 'The note\'s key', expression: false }),
  value: ui(z.string().max(256, 'a note value is at most 256 characters'), { title: 'Value', description: 'The note\'s text (at most 256 characters)' }),
})).max(15, 'Razorpay keeps at most 15 notes').default([]), {
  title: 'Notes', description: 'Kept with the payment object at the provider (not for secrets)', widget: 'key-value',
});

/** Notes as the provider's flat object. */
export function notesObject(notes: readonly { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(notes.map((n) => [n.name, n.value]));
}
