import { randomUUID } from 'node:crypto';
import { NonRetryableError, type CredentialKindDefinition, type CredentialValue, type NodeContext } from '@switchyard/sdk';
import twilio from '../../channels/twilio/credential.js';
import telegram from '../../channels/telegram/credential.js';
import whatsapp from '../../channels/whatsapp/credential.js';
import instagram from '../../channels/instagram/credential.js';

/**
 * The channel kinds an agent can write on: those whose credential kind sends a plain text to a
 * contact (`replyText`, the path a person's reply from the inbox takes), so the agent's message is
 * sent, rate-limited and recorded in the conversation the same way.
 */
const SENDERS: Record<string, CredentialKindDefinition> = Object.fromEntries(
  [twilio, telegram, whatsapp, instagram].filter((kind) => kind.replyText).map((kind) => [kind.kind, kind]),
);

export const CHANNEL_KINDS: readonly string[] = Object.keys(SENDERS);

/** What the send returns to the model and records on the tool's sub-step. */
export interface ChannelSent {
  providerMessageId: string;
  contactId: string;
  simulated: boolean;
}

/**
 * Sends `text` to `contactId` from the account `credential`: refused while a person has taken the
 * contact over in the inbox; to a chat-simulator contact it is only recorded (decision 031).
 */
export async function sendOnChannel(ctx: Pick<NodeContext, 'channels' | 'http' | 'log' | 'signal'>, credential: CredentialValue, contactId: string, text: string): Promise<ChannelSent> {
  const kind = SENDERS[credential.kind];
  const credentialId = credential.id;
  if (!kind?.replyText || !credentialId) throw new NonRetryableError(`a ${credential.kind} account cannot send the agent's messages`, { code: 'channel_unsupported' });
  const channels = ctx.channels;
  if (!channels) throw new NonRetryableError('sending messages is not available to this node here', { code: 'no_channels' });
  if (await channels.isPaused(credentialId, contactId)) {
    throw new NonRetryableError('a person has taken this conversation over in the inbox; the agent does not write to it', { code: 'handed_over' });
  }
  if (await channels.isSimulated?.(credentialId, contactId)) {
    const providerMessageId = `sim-${randomUUID()}`;
    await channels.recordOutbound({ credentialId, contactId, providerMessageId, messageType: 'text', text });
    return { providerMessageId, contactId, simulated: true };
  }
  const { providerMessageId } = await kind.replyText({
    account: { credentialId, fields: credential.fields, secret: '', callbackUrl: credential.callbackUrl ?? '' },
    http: ctx.http, log: ctx.log, signal: ctx.signal,
    acquire: (key, perSecond) => channels.acquire(key, perSecond, ctx.signal),
  }, contactId, text);
  await channels.recordOutbound({ credentialId, contactId, providerMessageId, messageType: 'text', text });
  return { providerMessageId, contactId, simulated: false };
}
