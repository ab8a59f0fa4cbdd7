import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { chatIdProp, credentialSlots, disableLinkPreviewProp, overLongTextProp, parseModeProp, valuesProp } from '../props.js';
import { sendText } from '../send.js';
import { resumedEvent, timeoutMinutesProp, waitForChat } from '../wait.js';

const props = z.object({
  chatId: chatIdProp,
  text: ui(z.string().min(1, 'enter the question'), { title: 'Text', description: 'What to ask; {name} inserts a value', widget: 'textarea' }),
  parseMode: parseModeProp,
  values: valuesProp,
  disableLinkPreview: disableLinkPreviewProp,
  overLongText: overLongTextProp,
  timeoutMinutes: timeoutMinutesProp,
});

/**
 * Sends a message, then parks the execution (no worker held) until the same chat writes again: that
 * message goes out on `reply` in the trigger's shape; nothing within the timeout goes out on `timeout`
 * with the incoming message. A resumed run never sends again.
 */
export default defineNode({
  type: 'telegram.send-and-wait-reply',
  version: 1,
  title: 'Telegram: send and wait for a reply',
  category: 'Channels',
  description: 'Asks a question in a Telegram chat and continues with the contact\'s answer',
  icon: 'hourglass',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['reply', 'timeout'] },
  sideEffects: true,
  async run(ctx, input, p) {
    if (ctx.resumed) {
      const reply = resumedEvent(ctx.resumed);
      return reply ? { reply } : { timeout: input };
    }
    const sent = await sendText(ctx, {
      chatId: p.chatId, text: p.text, parseMode: p.parseMode, values: p.values,
      overLongText: p.overLongText, disableLinkPreview: p.disableLinkPreview,
    });
    return waitForChat(ctx, sent.at(-1)!, p.timeoutMinutes);
  },
});
