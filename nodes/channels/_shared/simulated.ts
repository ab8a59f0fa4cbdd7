import { randomInt, randomUUID } from 'node:crypto';
import type { ChannelCapabilities } from '@switchyard/sdk';

/**
 * The chat simulator's side of the send nodes (decision 031). The editor's simulator plays a contact
 * of an account; what a flow sends to that contact is recorded in the conversation store (where the
 * simulator shows it) and never reaches the provider. Each provider's one sending function asks
 * {@link isSimulatedContact} before it calls the provider, and answers as the provider would, with
 * made-up ids from here, so the nodes after it see the same output as after a real send.
 */

/**
 * Whether `contactId` of the account is played by the simulator. False where the runtime offers no
 * simulator (plugins' test harness, an unsaved credential): every contact is then real.
 */
export async function isSimulatedContact(channels: ChannelCapabilities | undefined, credentialId: string | undefined, contactId: string): Promise<boolean> {
  if (!channels?.isSimulated || !credentialId) return false;
  return channels.isSimulated(credentialId, contactId);
}

/** A provider message id for a simulated send (`<prefix>sim-<uuid>`): unique per account, never a real one. */
export function simulatedMessageId(prefix = ''): string {
  return `${prefix}sim-${randomUUID()}`;
}

/** A numeric id for providers that number messages per chat (Telegram): beyond what a real chat reaches. */
export function simulatedMessageNumber(): number {
  return 2 ** 40 + randomInt(0, 2 ** 47);
}
