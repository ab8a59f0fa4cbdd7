import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';
import { fitText } from '../../_shared/text.js';
import { channelsOf, routeReply, waitTimeoutField } from '../../meta/send-and-wait.js';
import { recipient, sendMessage, TEXT_LIMIT } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { accountSlot, defaultCountryField, toField } from '../props.js';
import { bodyField } from '../interactive.js';

const props = z.object({
  to: toField,
  text: bodyField,
  timeoutMs: waitTimeoutField,
  defaultCountry: defaultCountryField,
});

/**
 * Sends a text and parks the execution (no worker held) until the contact's next message on this
 * number, which leaves on `reply` as the trigger would emit it; nothing within the timeout →
 * `timeout` with this step's input. With several executions waiting on one contact, the oldest
 * gets the message.
 */
export default defineNode({
  type: 'whatsapp.send-and-wait-reply',
  version: 1,
  title: 'WhatsApp: send and wait for a reply',
  category: 'Channels',
  description: 'Sends a message and continues with the contact\'s reply, or on timeout',
  icon: 'hourglass',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['reply', 'timeout'] },
  sideEffects: true,
  async run(ctx, input, p) {
    // A resumed run only routes: the question went out on the first run, before the execution parked.
    if (ctx.resumed) return routeReply(ctx.resumed, input);
    const channels = channelsOf(ctx);
    const account = whatsappAccount(ctx.credentials.account);
    const to = recipient(p.to, input, p.defaultCountry);
    const [body = p.text] = fitText(p.text, TEXT_LIMIT, 'refuse', 'text');
    const sent = await sendMessage(ctx, account, to, { type: 'text', text: { preview_url: false, body } }, { messageType: 'text', text: body });
    return channels.waitForReply(account.credentialId, sent.waId, p.timeoutMs);
  },
});
