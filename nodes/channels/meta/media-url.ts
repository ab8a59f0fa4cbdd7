import { NonRetryableError } from '@switchyard/sdk';

/**
 * A public http(s) URL for media Meta downloads itself, or a step error naming the field. Checked
 * at run time, not in the schema: the saved value is often an expression.
 */
export function mediaUrl(value: string | undefined, field: string): string {
  const text = value?.trim() ?? '';
  if (text === '') throw new NonRetryableError(`${field}: enter the URL of the media`, { code: 'invalid_media_url' });
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new NonRetryableError(`${field}: "${text.slice(0, 200)}" is not a URL`, { code: 'invalid_media_url' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new NonRetryableError(`${field}: Meta downloads media over http(s) only, not ${url.protocol}`, { code: 'invalid_media_url' });
  }
  return url.toString();
}

/** A media kind from a closed list, or a step error naming the field and the kinds allowed. */
export function mediaKind<K extends string>(value: string, allowed: readonly K[], field: string, provider: string): K {
  const kind = value.trim().toLowerCase();
  if ((allowed as readonly string[]).includes(kind)) return kind as K;
  throw new NonRetryableError(`${field}: "${value}" is not a media type ${provider} sends (use ${allowed.join(', ')})`, { code: 'unsupported_media_type' });
}
