import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { recipient, sendMessage } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { accountSlot, defaultCountryField, orFromInput, sentOutput, toField } from '../props.js';

const props = z.object({
  to: toField,
  messageId: ui(z.string().trim().optional(), {
    title: 'Message', description: 'The message (wamid) to react to. Empty: the incoming message', placeholder: '{{ $json.messageId }}',
  }),
  emoji: ui(z.string().trim().max(16).default('👍'), { title: 'Emoji', description: 'One emoji; empty removes an earlier reaction', placeholder: '👍' }),
  defaultCountry: defaultCountryField,
});

/** Reacts to a message with an emoji (or removes the reaction with an empty emoji). */
export default defineNode({
  type: 'whatsapp.react',
  version: 1,
  title: 'WhatsApp: react',
  category: 'Channels',
  description: 'Reacts to a message with an emoji',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const account = whatsappAccount(ctx.credentials.account);
    const to = recipient(p.to, input, p.defaultCountry);
    const messageId = orFromInput(p.messageId, input, 'messageId', 'messageId');
    const sent = await sendMessage(ctx, account, to, { type: 'reaction', reaction: { message_id: messageId, emoji: p.emoji } }, { messageType: 'reaction', text: p.emoji });
    return sentOutput(sent, { reactedTo: messageId, emoji: p.emoji });
  },
});
