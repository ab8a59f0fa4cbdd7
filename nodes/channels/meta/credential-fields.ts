import { z } from 'zod';
import { NonRetryableError, ui, type CredentialTestContext, type CredentialTestResult, type Json } from '@switchyard/sdk';
import { callGraph, graphFailure, GRAPH_BASE_URL, GRAPH_VERSION, GRAPH_VERSION_PATTERN, type GraphTarget } from './graph.js';

/** The optional Graph base URL (proxies, regional gateways, local fakes), under "Advanced". */
export const baseUrlField = ui(z.url({ protocol: /^https?$/, error: 'base URL must be an http(s) address' }).optional(), {
  title: 'Base URL', description: `Where Graph API calls go. Default: ${GRAPH_BASE_URL}`, placeholder: GRAPH_BASE_URL, group: 'Advanced', expression: false,
});

/** The optional Graph API version, under "Advanced". */
export const versionField = ui(z.string().regex(GRAPH_VERSION_PATTERN, 'a Graph API version looks like v21.0').optional(), {
  title: 'Graph API version', description: `Default: ${GRAPH_VERSION}`, placeholder: GRAPH_VERSION, group: 'Advanced', expression: false,
});

/** The Meta app secret that signs webhook deliveries. */
export const appSecretField = ui(z.string().min(1, 'the app secret is required to check webhook signatures'), {
  title: 'App secret', description: 'Meta App Dashboard → App settings → Basic → App secret. Checks that deliveries come from Meta', secret: true, expression: false,
});

/** A Graph target from stored credential fields (strings; empty means unset). */
export function graphTarget(fields: { accessToken: string; baseUrl?: string; version?: string }): GraphTarget {
  return {
    accessToken: fields.accessToken,
    baseUrl: fields.baseUrl && fields.baseUrl !== '' ? fields.baseUrl : GRAPH_BASE_URL,
    version: fields.version && fields.version !== '' ? fields.version : GRAPH_VERSION,
  };
}

/** A connection test must answer quickly: the user is waiting on the credentials page. */
const TEST_TIMEOUT_MS = 10_000;

/**
 * "Test connection": GETs one Graph object with the credential's token and describes it with
 * `describe`, or says why Graph refused (its message, never the token).
 */
export async function testGraphObject(
  target: GraphTarget,
  ctx: CredentialTestContext,
  path: string,
  fields: string,
  describe: (body: Record<string, Json>) => string,
): Promise<CredentialTestResult> {
  const response = await callGraph(ctx.http, target, { method: 'GET', path, query: { fields }, signal: ctx.signal, timeoutMs: TEST_TIMEOUT_MS });
  const failure = graphFailure(response);
  if (failure) {
    const hint = failure.code === 190 ? ' The access token was refused: it is wrong, expired or revoked.' : failure.code === 100 ? ' Check the id: the token cannot see this object.' : '';
    return { ok: false, message: `Graph API answered ${failure.status}${failure.code !== undefined ? ` (error ${failure.code})` : ''}: ${failure.message}.${hint}` };
  }
  const body = response.json();
  return { ok: true, message: `Connected: ${describe(body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {})}.` };
}

/**
 * A node's credential fields parsed with the kind's schema (empty strings read as unset), or a step
 * error naming the field that is wrong — never its value.
 */
export function readCredentialFields<S extends z.ZodObject>(schema: S, fields: Readonly<Record<string, string>>, title: string): z.infer<S> {
  const present = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new NonRetryableError(`${title} credential: ${issue?.path.join('.') ?? 'a field'}: ${issue?.message ?? 'invalid'} — edit the credential`, { code: 'invalid_credential' });
}
