import { z } from 'zod';
import { defineNode, NonRetryableError, ui } from '@switchyard/sdk';
import { isSimulatedContact } from '../../_shared/simulated.js';
import { fitText } from '../../_shared/text.js';
import { telegramError } from '../client.js';
import { fillTemplate } from '../markup.js';
import { buttonsPerRowProp, buttonsProp, chatIdProp, credentialSlots, disableLinkPreviewProp, idText, parseModeProp, valuesProp } from '../props.js';
import { plainText } from '../simulator.js';
import { accountId, botClient, checkChatId, inlineKeyboard, MESSAGES_PER_SECOND_PER_BOT, parseModeField, TEXT_LIMIT } from '../send.js';
import { messageSchema } from '../types.js';

const props = z.object({
  chatId: chatIdProp,
  /** Default: the message whose button started the flow. */
  messageId: ui(idText(z.string().trim().regex(/^\d+$/, 'a message id is a number')).default('{{ $trigger.messageId }}'), {
    title: 'Message', description: 'Id of a message the bot sent, e.g. {{ $node["send"].json.messageId }}; by default the one whose button was pressed',
    placeholder: '{{ $trigger.messageId }}',
  }),
  text: ui(z.string().min(1, 'enter the new text'), { title: 'New text', description: 'Replaces the message text; {name} inserts a value', widget: 'textarea' }),
  parseMode: parseModeProp,
  values: valuesProp,
  buttons: ui(buttonsProp, { title: 'Buttons', description: 'The keyboard after the edit; none removes it' }),
  buttonsPerRow: buttonsPerRowProp,
  disableLinkPreview: disableLinkPreviewProp,
});

/**
 * Replaces the text (and keyboard) of a message the bot sent, e.g. to show which button was chosen.
 * Editing to the same content is not an error: Telegram's "message is not modified" counts as done.
 */
export default defineNode({
  type: 'telegram.edit-message',
  version: 1,
  title: 'Telegram: edit message',
  category: 'Channels',
  description: 'Changes the text and buttons of a message the bot sent',
  icon: 'pencil',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const chatId = checkChatId(p.chatId);
    const text = fitText(fillTemplate(p.text, p.values, p.parseMode), TEXT_LIMIT, 'refuse', 'text')[0]!;
    const keyboard = inlineKeyboard(p.buttons, p.buttonsPerRow);
    // The chat simulator's contact (decision 031): Telegram is not called.
    if (await isSimulatedContact(ctx.channels, ctx.credentials.bot.id, chatId)) {
      return { main: { chatId, messageId: Number(p.messageId), text: plainText(text, p.parseMode === 'none' ? undefined : p.parseMode), modified: true } };
    }
    await ctx.channels?.acquire(`telegram:${accountId(ctx)}`, MESSAGES_PER_SECOND_PER_BOT, ctx.signal);
    const client = botClient(ctx);
    const answer = await client.patient('editMessageText', {
      chat_id: chatId, message_id: Number(p.messageId), text, ...parseModeField(p.parseMode),
      ...(p.disableLinkPreview ? { link_preview_options: { is_disabled: true } } : {}),
      ...(keyboard ? { reply_markup: keyboard } : {}),
    });
    if (!answer.ok) {
      if (answer.failure.status === 400 && /message is not modified/i.test(answer.failure.description)) {
        return { main: { chatId, messageId: Number(p.messageId), text: null, modified: false } };
      }
      throw telegramError(answer.failure);
    }
    const message = messageSchema.safeParse(answer.result);
    if (!message.success) throw new NonRetryableError('Telegram accepted editMessageText but its answer is not a Message', { code: 'provider_answer' });
    return { main: { chatId, messageId: message.data.message_id, text: message.data.text ?? null, modified: true } };
  },
});
