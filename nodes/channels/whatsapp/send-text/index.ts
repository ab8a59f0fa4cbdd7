import { z } from 'zod';
import { defineNode, ui, type JsonObject } from '@switchyard/sdk';
import { fitText } from '../../_shared/text.js';
import { recipient, sendMessage, TEXT_LIMIT } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { accountSlot, defaultCountryField, replyToField, sentOutput, toField } from '../props.js';


const props = z.object({
  to: toField,
  text: ui(z.string().min(1, 'enter the text to send'), { title: 'Text', description: `Up to ${TEXT_LIMIT} characters; *bold*, _italic_, ~strike~ and \`\`\`code\`\`\` work`, widget: 'textarea' }),
  /** Default: false. */
  previewUrl: ui(z.boolean().default(false), { title: 'Link preview', description: 'Show a preview of the first link in the text' }),
  /** Default: 'split'. */
  overLongText: ui(z.enum(['split', 'refuse']).default('split'), {
    title: 'Text over 4096 characters', description: 'Send a longer text in several messages, or fail the step', group: 'Options',
    enumLabels: { split: 'Split into several messages', refuse: 'Fail the step' },
  }),
  replyTo: replyToField,
  defaultCountry: defaultCountryField,
});

/**
 * Sends a text message. Outside the 24-hour window since the contact last wrote, WhatsApp refuses
 * it (error 131047) and the step says to send a template instead.
 */
export default defineNode({
  type: 'whatsapp.send-text',
  version: 1,
  title: 'WhatsApp: send text',
  category: 'Channels',
  description: 'Sends a text message from the WhatsApp number (within 24 hours of the contact\'s last message)',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const account = whatsappAccount(ctx.credentials.account);
    const to = recipient(p.to, input, p.defaultCountry);
    const parts = fitText(p.text, TEXT_LIMIT, p.overLongText, 'text');
    const ids: string[] = [];
    let last = { messageId: '', waId: '', to };
    for (const [index, body] of parts.entries()) {
      const content: JsonObject = { type: 'text', text: { preview_url: p.previewUrl, body } };
      if (index === 0 && p.replyTo) content.context = { message_id: p.replyTo };
      last = await sendMessage(ctx, account, to, content, { messageType: 'text', text: body });
      ids.push(last.messageId);
    }
    return sentOutput({ ...last, messageId: ids[0] ?? last.messageId }, { messageIds: ids });
  },
});
