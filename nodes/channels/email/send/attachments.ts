import { NodeError, NonRetryableError, type HttpClient } from '@switchyard/sdk';

/** Largest attachment fetched or decoded. Default: 10 MiB (most providers refuse mail over 20–25 MB). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Largest total of attachments in one email. */
export const MAX_TOTAL_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** An attachment as the node's props give it: by URL, or base64 content from an earlier node. */
export interface AttachmentSpec { filename: string; url?: string; content?: string; contentType?: string }

/** An attachment ready for nodemailer. */
export interface LoadedAttachment { filename: string; content: Buffer; contentType?: string }

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes base64 (standard or URL-safe, whitespace ignored), or a step error naming the field. */
function decodeBase64(text: string, field: string): Buffer {
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (compact.length === 0 || !BASE64.test(compact) || compact.length % 4 === 1) {
    throw new NonRetryableError(`${field}: not base64 content (pass an earlier node's base64 output, e.g. an HTTP request with "Response: base64")`, { code: 'invalid_attachment' });
  }
  return Buffer.from(compact, 'base64');
}

async function fetchAttachment(http: HttpClient, url: string, field: string, signal: AbortSignal): Promise<{ content: Buffer; contentType?: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new NonRetryableError(`${field}: "${url}" is not a URL`, { code: 'invalid_attachment' });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new NonRetryableError(`${field}: only http(s) URLs can be fetched`, { code: 'invalid_attachment' });
  const response = await http.request({ url, method: 'GET', maxBytes: MAX_ATTACHMENT_BYTES, signal });
  if (response.status < 200 || response.status >= 300) {
    const message = `${field}: ${parsed.host} answered HTTP ${response.status}`;
    throw response.status >= 500 || response.status === 429 ? new NodeError(message, { code: 'attachment_fetch' }) : new NonRetryableError(message, { code: 'attachment_fetch' });
  }
  const type = response.headers['content-type']?.split(';')[0]?.trim();
  return { content: Buffer.from(response.body), ...(type ? { contentType: type } : {}) };
}

/**
 * Loads every attachment: URLs through the guarded `ctx.http`, base64 content decoded. Errors name
 * the attachment (`attachments[1].url`). Sizes are capped per attachment and in total.
 */
export async function loadAttachments(specs: readonly AttachmentSpec[], http: HttpClient, signal: AbortSignal): Promise<LoadedAttachment[]> {
  const loaded: LoadedAttachment[] = [];
  let total = 0;
  for (const [i, spec] of specs.entries()) {
    const field = `attachments[${i}]`;
    const { content, contentType } = spec.url
      ? await fetchAttachment(http, spec.url, `${field}.url`, signal)
      : { content: decodeBase64(spec.content ?? '', `${field}.content`), contentType: undefined };
    if (content.length > MAX_ATTACHMENT_BYTES) throw new NonRetryableError(`${field}: ${content.length} bytes is over the ${MAX_ATTACHMENT_BYTES}-byte limit per attachment`, { code: 'attachment_too_large' });
    total += content.length;
    if (total > MAX_TOTAL_ATTACHMENT_BYTES) throw new NonRetryableError(`attachments: ${total} bytes in all is over the ${MAX_TOTAL_ATTACHMENT_BYTES}-byte limit per email`, { code: 'attachment_too_large' });
    const type = spec.contentType || contentType;
    loaded.push({ filename: spec.filename, content, ...(type ? { contentType: type } : {}) });
  }
  return loaded;
}
