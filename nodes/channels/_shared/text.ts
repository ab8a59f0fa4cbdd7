import { NonRetryableError } from '@switchyard/sdk';

/** What to do with a text longer than the channel allows. */
export type OverLongText = 'split' | 'refuse';

/**
 * Splits `text` into parts of at most `limit` UTF-16 code units for a channel (Telegram 4096, SMS
 * 1600, WhatsApp 4096, Instagram 1000), at a paragraph, line or word break where there is one, and
 * never inside a surrogate pair. With `refuse`, an over-long text is a step error naming the field.
 */
export function fitText(text: string, limit: number, mode: OverLongText, field: string): string[] {
  if (text.length === 0) throw new NonRetryableError(`${field}: the text is empty`, { code: 'empty_text' });
  if (text.length <= limit) return [text];
  if (mode === 'refuse') {
    throw new NonRetryableError(`${field}: the text is ${text.length} characters; this channel allows ${limit} (choose "split" to send it in parts)`, { code: 'text_too_long' });
  }
  const parts: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    let cut = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf(' '));
    if (cut < limit / 2) cut = limit;
    // A cut between the halves of a surrogate pair would send two broken characters.
    const code = rest.charCodeAt(cut - 1);
    if (cut === limit && code >= 0xd800 && code <= 0xdbff) cut -= 1;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}
