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

/** US area codes whose 555-01xx numbers libphonenumber takes as valid. */
const FICTION_AREAS = [201, 202, 206, 212, 213, 305, 312, 404, 415, 503, 512, 602, 617, 646, 702, 713, 718, 720, 808, 919];

/**
 * A phone number for a simulated contact, in E.164: 555-0100 to 555-0199 of a US area code, the
 * range NANPA reserves for fiction — valid to phone-number checks, never anyone's (2,000 of them).
 */
export function fictionalPhoneNumber(serial: number): string {
  const index = serial % (FICTION_AREAS.length * 100);
  return `+1${FICTION_AREAS[Math.floor(index / 100)]}55501${String(index % 100).padStart(2, '0')}`;
}
