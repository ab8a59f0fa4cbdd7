import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import {
  buttonsPerRowProp, buttonsProp, chatIdProp, credentialSlots, disableLinkPreviewProp, overLongTextProp,
  parseModeProp, replyToProp, valuesProp,
} from '../props.js';
import { inlineKeyboard, sendText, sentOutput } from '../send.js';

const props = z.object({
  chatId: chatIdProp,
  text: ui(z.string().min(1, 'enter the message text'), {
    title: 'Text', description: 'The message. With formatting, write {name} where a value goes', widget: 'textarea',
  }),
  parseMode: parseModeProp,
  values: valuesProp,
  buttons: buttonsProp,
  buttonsPerRow: buttonsPerRowProp,
  disableLinkPreview: disableLinkPreviewProp,
  replyTo: replyToProp,
  overLongText: overLongTextProp,
});

/**
 * Sends a text message to a chat, optionally formatted (MarkdownV2 or HTML, with user values escaped),
 * with an inline keyboard of callback or link buttons. Emits the sent message's ids.
 */
export default defineNode({
  type: 'telegram.send-message',
  version: 1,
  title: 'Telegram: send message',
  category: 'Channels',
  description: 'Sends a text message, with optional formatting and buttons, from a Telegram bot',
  icon: 'message',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const callbacks = p.buttons.filter((b) => b.action === 'callback').map((b) => ({ id: b.value, title: b.title }));
    const sent = await sendText(ctx, {
      chatId: p.chatId, text: p.text, parseMode: p.parseMode, values: p.values, overLongText: p.overLongText,
      disableLinkPreview: p.disableLinkPreview, replyTo: p.replyTo, keyboard: inlineKeyboard(p.buttons, p.buttonsPerRow), choices: callbacks,
    });
    const last = sent.at(-1)!;
    return { main: { ...sentOutput(last), text: last.text ?? null, messageIds: sent.map((m) => m.message_id) } };
  },
});
