import { WaitRequest, type ChannelCapabilities, type HttpClient, type CredentialValue, type NodeContext, type OutboundMessageRecord } from '@switchyard/sdk';
import { createHttpClient, type GuardedHttpClient } from '../../../runtime/net/client.js';
import { createTestContext, type TestContext } from '../../testing.js';
import type { TelegramFake } from './fake.js';
import type { credentialSlots } from './props.js';

/** Test helpers for the Telegram nodes: the bot credential pointed at the fake, and a context for a step. */

/** The guarded client as the runtime builds it, opened to 127.0.0.1 only (where the fake listens). */
export function localHttp(): GuardedHttpClient {
  return createHttpClient({ allow: ['127.0.0.1'] });
}

export function botCredential(fake: TelegramFake, fields: Record<string, string> = {}): CredentialValue {
  return { id: 'cred-tg', kind: 'telegram-bot', callbackUrl: 'https://switchyard.example/inbound/cred-tg', fields: { token: fake.token, baseUrl: fake.url, ...fields } };
}

/** What a node told the conversation store (the runtime's implementation is tested with the gateway). */
export interface Recorded {
  outbound: OutboundMessageRecord[];
  blocked: string[];
  acquired: { key: string; perSecond: number }[];
  waits: { credentialId: string; contactId: string; timeoutMs: number }[];
}

export function recordingChannels(): ChannelCapabilities & { recorded: Recorded } {
  const recorded: Recorded = { outbound: [], blocked: [], acquired: [], waits: [] };
  return {
    recorded,
    async recordOutbound(message) { recorded.outbound.push(message); },
    async markBlocked(credentialId, contactId) { recorded.blocked.push(`${credentialId}/${contactId}`); },
    async acquire(key, perSecond) { recorded.acquired.push({ key, perSecond }); },
    async history() { return []; },
    async isPaused() { return false; },
    waitForReply(credentialId, contactId, timeoutMs) {
      recorded.waits.push({ credentialId, contactId, timeoutMs });
      return new WaitRequest({ until: Date.now() + timeoutMs, event: `channel-reply:${credentialId}:${contactId}` });
    },
  };
}

export type BotTestContext = TestContext<typeof credentialSlots> & { channels: ReturnType<typeof recordingChannels> };

/** A step's context with the bot credential, the guarded client and a recording conversation store. */
export function botContext(http: HttpClient, credential: CredentialValue, extra: Partial<Pick<NodeContext, 'resumed' | 'signal'>> = {}): BotTestContext {
  return { ...createTestContext<typeof credentialSlots>({ http, credentials: { bot: credential }, ...extra }), channels: recordingChannels() };
}
