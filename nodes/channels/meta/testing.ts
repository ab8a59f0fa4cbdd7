import { NodeError, type CredentialValue, type NodeContext } from '@switchyard/sdk';
import { createHttpClient, type GuardedHttpClient } from '../../../runtime/net/client.js';
import { createTestContext, type TestContext } from '../../testing.js';
import type { GraphFake } from './fake.js';

/** The guarded client as the runtime builds it, opened to 127.0.0.1 only (where the fake listens). */
export function localHttp(): GuardedHttpClient {
  return createHttpClient({ allow: ['127.0.0.1'] });
}

/** A WhatsApp credential pointed at the fake. */
export function whatsappCredential(fake: GraphFake, overrides: Partial<Record<string, string>> = {}): CredentialValue {
  const fields: Record<string, string> = {
    accessToken: fake.accessToken, phoneNumberId: fake.phoneNumbers[0]!.id, wabaId: '102290129340398', appSecret: 'wa-app-secret', baseUrl: fake.url,
  };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) fields[key] = value;
  return { id: 'cred-wa', kind: 'whatsapp-cloud', fields };
}

/** An Instagram credential pointed at the fake. */
export function instagramCredential(fake: GraphFake, overrides: Partial<Record<string, string>> = {}): CredentialValue {
  const fields: Record<string, string> = { accessToken: fake.accessToken, igAccountId: fake.instagram.account.id, appSecret: 'ig-app-secret', baseUrl: fake.url };
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) fields[key] = value;
  return { id: 'cred-ig', kind: 'instagram-messaging', fields };
}

/** A node context whose `account` slot holds `credential` and whose HTTP goes through the guarded client. */
export function channelTestContext(http: GuardedHttpClient, credential: CredentialValue, extra: Partial<Pick<NodeContext, 'resumed' | 'signal'>> = {}): TestContext<{ account: { kind: string } }> {
  return createTestContext<{ account: { kind: string } }>({ http, credentials: { account: credential }, ...extra });
}

/** The step error a node's run rejected with (a test failure if it resolved or threw something else). */
export async function stepFailure(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof NodeError)) throw new Error(`expected a step error, got ${error instanceof Error ? error.stack : String(error)}`);
  return error;
}

/** The zod issues of parsing `props` with a node's schema, as `path: message` lines. */
export function propsIssues(schema: { safeParse(value: unknown): { error?: { issues: { path: PropertyKey[]; message: string }[] } } }, props: unknown): string[] {
  return schema.safeParse(props).error?.issues.map((i) => `${i.path.map(String).join('.')}: ${i.message}`) ?? [];
}
