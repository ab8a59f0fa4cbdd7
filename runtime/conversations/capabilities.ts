import type { Knex } from 'knex';
import { NonRetryableError, WaitRequest, isJsonObject, type ChannelCapabilities, type Json, type OutboundMessageRecord, type ShortLivedStore } from '@switchyard/sdk';
import type { ConversationFeed } from './live.js';
import type { SharedRateLimiter } from './rate-limit.js';
import { history, isPaused, isSimulated, markBlocked, recordOutbound, simulatedAccounts } from './store.js';

/** The wait event a send-and-wait parks on; the gateway resolves it with the contact's next message. */
export function replyEvent(credentialId: string, contactId: string): string {
  return `channel:${credentialId}:${contactId}`;
}

/** Messages one history read returns at most. */
const MAX_HISTORY = 500;

export interface ChannelCapabilityDeps {
  knex: Knex;
  limiter: SharedRateLimiter;
  /** Expiring records for the workspace (`ctx.channels.shortLived`, e.g. one-time codes). Default: none. */
  shortLived?(workspaceId: string): ShortLivedStore;
  /** Tells open inboxes about what a step recorded. Default: nobody is told. */
  feed?: ConversationFeed;
}

/** Who is asking: every capability is scoped to the execution's workspace, and records link to the step. */
export interface ChannelScope {
  workspaceId: string;
  executionId: string;
  stepKey: string;
  /** The execution's mode and trigger input: a `channel` run's own contact is known to be real. */
  mode?: string;
  triggerInput?: Json;
  /**
   * Takes an outbound record into the step's own commit (decision 044) and returns true, or returns
   * false when it cannot: the record is then written at once. Default: always written at once.
   */
  deferOutbound?(message: OutboundMessageRecord): boolean;
}

/**
 * The account and contact whose message started a `channel` run. Dispatch starts such runs only for
 * contacts the chat simulator does not play (theirs start the edited flow as a `manual` run, decision
 * 031), and the simulator never takes over a real contact, so a send back to them needs no lookup.
 */
function realContactOf(scope: ChannelScope): string | undefined {
  if (scope.mode !== 'channel' || !isJsonObject(scope.triggerInput)) return undefined;
  const { accountId, contact } = scope.triggerInput;
  return typeof accountId === 'string' && isJsonObject(contact) && typeof contact.id === 'string' ? `${accountId}\0${contact.id}` : undefined;
}

/** `ctx.channels` for one step (DESIGN §10; `ChannelCapabilities` in the SDK). */
export function createChannelCapabilities(deps: ChannelCapabilityDeps, scope: ChannelScope): ChannelCapabilities {
  const { knex } = deps;
  const realContact = realContactOf(scope);
  return {
    async recordOutbound(message) {
      // The inbox hears of a deferred record after its commit (the StepWriter's onThreads).
      if (scope.deferOutbound?.(message)) return;
      const thread = await recordOutbound(knex, scope.workspaceId, message, { executionId: scope.executionId, stepKey: scope.stepKey });
      deps.feed?.changed(scope.workspaceId, thread, 'message');
      if (!thread) throw new NonRetryableError(`account "${message.credentialId}" is not a credential of this workspace`, { code: 'unknown_account' });
    },
    history: (credentialId, contactId, limit) => history(knex, scope.workspaceId, credentialId, contactId, Math.min(limit, MAX_HISTORY)),
    isPaused: (credentialId, contactId) => isPaused(knex, scope.workspaceId, credentialId, contactId),
    async markBlocked(credentialId, contactId) {
      deps.feed?.changed(scope.workspaceId, await markBlocked(knex, scope.workspaceId, credentialId, contactId), 'blocked');
    },
    waitForReply(credentialId, contactId, timeoutMs) {
      // Both end the wait, whichever comes first; the other is then ignored (decision 030).
      const until = Number.isFinite(timeoutMs) && timeoutMs > 0 ? Date.now() + timeoutMs : undefined;
      return new WaitRequest({ event: replyEvent(credentialId, contactId), ...(until !== undefined ? { until } : {}) });
    },
    acquire: (key, perSecond, signal) => deps.limiter.acquire(key, perSecond, signal),
    isSimulated: async (credentialId, contactId) =>
      `${credentialId}\0${contactId}` !== realContact && isSimulated(knex, scope.workspaceId, credentialId, contactId),
    simulatedAccounts: (contactIds) => simulatedAccounts(knex, scope.workspaceId, contactIds),
    ...(deps.shortLived ? { shortLived: deps.shortLived(scope.workspaceId) } : {}),
  };
}
