import type { InboxReplyContext } from '@switchyard/sdk';
import { fitText } from '../_shared/text.js';
import { recipientId, sendDirect, SENDS_PER_SECOND } from './client.js';
import { instagramAccount } from './credential.js';
import { DM_TEXT_LIMIT } from './props.js';

/**
 * A person's reply from the Conversations inbox: one DM from the account to the contact (an
 * Instagram-scoped ID), within the account's shared rate limit and Instagram's 24-hour window.
 */
export async function replyWithInstagram(ctx: InboxReplyContext, contactId: string, text: string): Promise<{ providerMessageId: string }> {
  const account = instagramAccount({ id: ctx.account.credentialId, kind: 'instagram-messaging', fields: { ...ctx.account.fields } });
  const to = recipientId(contactId, null, 'contact');
  const [body = text] = fitText(text, DM_TEXT_LIMIT, 'refuse', 'text');
  await ctx.acquire(`instagram:${account.igAccountId}`, SENDS_PER_SECOND);
  // The runtime records the inbox's message itself: no conversation store is passed here.
  const sent = await sendDirect({ http: ctx.http, signal: ctx.signal }, account, { id: to }, { text: body }, { messageType: 'text', text: body });
  return { providerMessageId: sent.messageId };
}
