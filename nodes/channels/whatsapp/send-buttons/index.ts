import { z } from 'zod';
import { defineNode } from '@switchyard/sdk';
import { recipient, sendMessage } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { bodyField, buttonsMessage, footerField, headerField, replyButtonsField } from '../interactive.js';
import { accountSlot, defaultCountryField, sentOutput, toField } from '../props.js';

const props = z.object({
  to: toField,
  text: bodyField,
  buttons: replyButtonsField,
  header: headerField,
  footer: footerField,
  defaultCountry: defaultCountryField,
});

/**
 * Sends a message with up to three reply buttons. The contact's tap arrives at the WhatsApp
 * trigger as an `interactive` message with `choice: { id, title }`; to wait for it in this flow,
 * use "WhatsApp: send and wait for a choice".
 */
export default defineNode({
  type: 'whatsapp.send-buttons',
  version: 1,
  title: 'WhatsApp: send buttons',
  category: 'Channels',
  description: 'Sends a message with up to 3 reply buttons',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const content = buttonsMessage(p);
    const account = whatsappAccount(ctx.credentials.account);
    const to = recipient(p.to, input, p.defaultCountry);
    const sent = await sendMessage(ctx, account, to, content, { messageType: 'interactive', text: p.text, choices: p.buttons.map((b) => ({ id: b.id, title: b.title })) });
    return sentOutput(sent);
  },
});
