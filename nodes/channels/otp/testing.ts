import type { Redis } from 'ioredis';
import type { ChannelCapabilities, CredentialValue, OutboundMessageRecord, ShortLivedStore } from '@switchyard/sdk';
import { createShortLivedStore } from '../../../runtime/conversations/short-lived.js';
import type { GuardedHttpClient } from '../../../runtime/net/client.js';
import { createTestContext, type TestContext } from '../../testing.js';
import type sendCode from './send/index.js';

export type OtpSlots = NonNullable<typeof sendCode.credentials>;

/**
 * `ctx.channels` for OTP tests: the runtime's real short-lived store on the test Redis, and a
 * conversation store that records what it is told (the runtime's own is tested with the gateway).
 */
export function otpChannels(redis: Redis, prefix: string, outbound: OutboundMessageRecord[], workspaceId = 'ws-otp'): ChannelCapabilities & { shortLived: ShortLivedStore } {
  return {
    shortLived: createShortLivedStore(redis, prefix, workspaceId),
    async recordOutbound(message) { outbound.push(message); },
    async acquire() {},
    async markBlocked() {},
    async history() { return []; },
    async isPaused() { return false; },
    waitForReply() { throw new Error('OTP never waits'); },
  };
}

/** A step context with the OTP node's credential slots filled as given. */
export function otpContext(http: GuardedHttpClient, channels: ChannelCapabilities | undefined, credentials: Partial<Record<keyof OtpSlots, CredentialValue>>): TestContext<OtpSlots> {
  return { ...createTestContext<OtpSlots>({ http, credentials }), channels };
}
