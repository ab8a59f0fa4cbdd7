import { NonRetryableError, type CredentialValue, type HttpClient } from '@switchyard/sdk';
import type { ManifestNode } from '@switchyard/sdk/manifest';
import type { PluginHttpReply, PluginHttpRequest } from '../sandbox/protocol.js';

/**
 * The worker side of a plugin's capabilities. Everything a plugin may do outside its isolate passes
 * through here, in the worker, where the plugin's code cannot reach: the declared-hosts check (on the
 * first URL and on every redirect), then the runtime's outbound guard (the shared `HttpClient`:
 * loopback, private, link-local and metadata addresses refused after DNS resolution), and the
 * credential filter.
 */

/** Does `host` match a declared pattern: exact (`api.example.com`) or `*.example.com` (subdomains only). */
export function hostAllowed(host: string, declared: readonly string[]): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  return declared.some((pattern) => {
    const p = pattern.toLowerCase().replace(/^\[|\]$/g, '');
    return p.startsWith('*.') ? name.endsWith(p.slice(1)) && name.length > p.length - 1 : name === p;
  });
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function refused(code: string, message: string): PluginHttpReply {
  return { ok: false, code, message };
}

/**
 * Performs plugin HTTP requests through `client`. Redirects are followed here (at most
 * `maxRedirects`, default 5) so each hop is checked against the declared hosts before it is sent.
 */
export function pluginHttp(options: { plugin: string; hosts: readonly string[]; client: HttpClient; signal?: AbortSignal }) {
  const { plugin, hosts, client, signal } = options;
  return async (request: PluginHttpRequest): Promise<PluginHttpReply> => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return refused('invalid_url', `"${request.url}" is not a valid URL`);
    }
    let method = request.method.toUpperCase();
    let body: string | Uint8Array | undefined = request.bodyBase64 !== undefined ? Buffer.from(request.bodyBase64, 'base64') : request.body;
    const headers = { ...request.headers };
    const maxRedirects = request.maxRedirects ?? 5;
    for (let hop = 0; ; hop++) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') return refused('invalid_url', `only http and https URLs are allowed, not ${url.protocol}`);
      if (!hostAllowed(url.hostname, hosts)) {
        return refused('host_not_declared', `plugin ${plugin} may not reach ${url.hostname}: it is not among the hosts it declared (${hosts.join(', ') || 'none'})`);
      }
      try {
        const response = await client.request({
          url: url.href, method, headers, ...(body !== undefined ? { body } : {}),
          ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
          ...(request.maxBytes !== undefined ? { maxBytes: request.maxBytes } : {}),
          maxRedirects: 0, ...(signal ? { signal } : {}),
        });
        const location = response.headers.location;
        if (REDIRECTS.has(response.status) && location && maxRedirects > 0) {
          if (hop >= maxRedirects) return refused('too_many_redirects', `more than ${maxRedirects} redirects, last to ${location}`);
          const next = new URL(location, url);
          if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
            method = 'GET';
            body = undefined;
          }
          if (next.origin !== url.origin) delete headers.authorization;
          url = next;
          continue;
        }
        const bytes = Buffer.from(response.body);
        return { ok: true, status: response.status, headers: response.headers, url: response.url, text: bytes.toString('utf8'), base64: bytes.toString('base64') };
      } catch (error) {
        const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : 'http_error';
        return refused(code, error instanceof Error ? error.message : String(error));
      }
    }
  };
}

/**
 * The credentials a plugin node gets: only its declared slots, only of kinds both the slot and the
 * approved permissions accept. A required slot without an acceptable credential fails the step.
 */
export function pluginCredentials(
  node: ManifestNode, approvedKinds: readonly string[], available: Record<string, CredentialValue | undefined>,
): Record<string, CredentialValue> {
  const out: Record<string, CredentialValue> = {};
  for (const [slot, declared] of Object.entries(node.credentials)) {
    const value = Object.hasOwn(available, slot) ? available[slot] : undefined;
    const acceptable = value !== undefined && declared.kinds.includes(value.kind) && approvedKinds.includes(value.kind);
    if (acceptable) out[slot] = { kind: value.kind, fields: { ...value.fields } };
    else if (!declared.optional) {
      throw new NonRetryableError(`credential slot "${slot}" needs a credential of kind ${declared.kinds.join(' or ')} approved for this plugin`, { code: 'credential_missing' });
    }
  }
  return out;
}
