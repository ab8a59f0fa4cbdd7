import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { channelsOf, routeReply, waitTimeoutField } from '../../meta/send-and-wait.js';
import { recipientId, sendDirect } from '../client.js';
import { instagramAccount } from '../credential.js';
import { accountSlot, DM_TEXT_LIMIT, recipientField } from '../props.js';

const props = z.object({
  recipient: recipientField,
  text: ui(z.string().min(1, 'enter the question').max(DM_TEXT_LIMIT, `at most ${DM_TEXT_LIMIT} characters`), { title: 'Text', description: 'The question to send', widget: 'textarea' }),
  timeoutMs: waitTimeoutField,
});

/**
 * Sends a DM and parks the execution until the person's next message on this account (`reply`,
 * shaped as the DM trigger emits it) or the timeout (`timeout`, with this step's input).
 */
export default defineNode({
  type: 'instagram.send-and-wait-reply',
  version: 1,
  title: 'Instagram: send and wait for a reply',
  category: 'Channels',
  description: 'Sends a DM and continues with the person\'s reply, or on timeout',
  icon: 'hourglass',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['reply', 'timeout'] },
  sideEffects: true,
  async run(ctx, input, p) {
    // A resumed run only routes: the question went out on the first run, before the execution parked.
    if (ctx.resumed) return routeReply(ctx.resumed, input);
    const channels = channelsOf(ctx);
    const account = instagramAccount(ctx.credentials.account);
    const recipient = recipientId(p.recipient, input);
    const sent = await sendDirect(ctx, account, { id: recipient }, { text: p.text }, { messageType: 'text', text: p.text });
    return channels.waitForReply(account.credentialId, sent.recipientId || recipient, p.timeoutMs);
  },
});
