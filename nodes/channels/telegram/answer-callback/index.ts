import { z } from 'zod';
import { defineNode, ui } from '@switchyard/sdk';
import { credentialSlots, idText } from '../props.js';
import { telegramError } from '../client.js';
import { answerPress } from '../send.js';

const props = z.object({
  /** Default: the query that started the flow. */
  callbackQueryId: ui(idText(z.string().trim().min(1, 'enter the callback query id')).default('{{ $trigger.callbackQueryId }}'), {
    title: 'Callback query', description: 'Id of the button press to answer; by default the one that started the flow',
    placeholder: '{{ $trigger.callbackQueryId }}',
  }),
  text: ui(z.string().max(200, 'Telegram shows at most 200 characters').optional(), {
    title: 'Notification text', description: 'Shown to the contact at the top of the chat (or as an alert); empty shows nothing',
  }),
  showAlert: ui(z.boolean().default(false), { title: 'As an alert', description: 'Show the text in a dialog the contact must dismiss' }),
  url: ui(z.string().trim().optional(), { title: 'URL', description: 'For game buttons and t.me/<bot>?start= links only; leave empty otherwise' }),
  cacheSeconds: ui(z.number().int().min(0).max(3600).default(0), {
    title: 'Cache (seconds)', description: 'How long Telegram apps may reuse this answer for the same button',
  }),
});

/**
 * Answers a callback query (a press of an inline button), which stops the button's loading spinner
 * and can show a notification. Telegram expects an answer within about 15 seconds of the press.
 */
export default defineNode({
  type: 'telegram.answer-callback',
  version: 1,
  title: 'Telegram: answer button press',
  category: 'Channels',
  description: 'Answers an inline button press (callback query), optionally with a notification',
  icon: 'message',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, _input, p) {
    const answer = await answerPress(ctx, {
      callback_query_id: p.callbackQueryId,
      ...(p.text ? { text: p.text } : {}),
      ...(p.showAlert ? { show_alert: true } : {}),
      ...(p.url ? { url: p.url } : {}),
      ...(p.cacheSeconds > 0 ? { cache_time: p.cacheSeconds } : {}),
    });
    if (!answer.ok) throw telegramError(answer.failure);
    return { main: { callbackQueryId: p.callbackQueryId, answered: true } };
  },
});
