import { z } from 'zod';
import { ui, type CredentialTestContext, type CredentialTestResult } from '@switchyard/sdk';

/** The optional, non-secret address the HTTP kinds' "Test connection" calls. */
export const testUrlField = ui(z.url({ protocol: /^https?$/, error: 'test URL must be an http(s) address' }).optional(), {
  title: 'Test URL (optional)',
  description: 'An address that answers with success when this credential is right, e.g. https://api.example.com/me. Used by “Test connection”.',
  placeholder: 'https://api.example.com/me',
  expression: false,
});

/** A test must answer quickly: the user is waiting on the credentials page. */
const TEST_TIMEOUT_MS = 10_000;

/**
 * GETs the credential's `testUrl` with `headers` (the credential applied): ok for 2xx, else the status.
 * The message names only the host and status, never a header value.
 */
export async function testWithUrl(
  fields: Readonly<Record<string, string>>,
  ctx: CredentialTestContext,
  headers: Record<string, string>,
): Promise<CredentialTestResult> {
  const url = fields.testUrl;
  if (!url) return { ok: false, message: 'This credential has no test URL. Edit it to add one, then test the connection.' };
  const host = new URL(url).host;
  const response = await ctx.http.request({ url, method: 'GET', headers, timeoutMs: TEST_TIMEOUT_MS, maxBytes: 1_000_000, signal: ctx.signal });
  if (response.status >= 200 && response.status < 300) return { ok: true, message: `Connected: ${host} answered ${response.status}.` };
  const hint = response.status === 401 || response.status === 403 ? ' The credential was refused; check it is correct and still valid.' : '';
  return { ok: false, message: `${host} answered ${response.status}.${hint}` };
}
