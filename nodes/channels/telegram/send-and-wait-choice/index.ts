import { z } from 'zod';
import { defineNode, ui, type JsonObject } from '@switchyard/sdk';
import { fillTemplate } from '../markup.js';
import { buttonsPerRowProp, chatIdProp, credentialSlots, parseModeProp, valuesProp } from '../props.js';
import { answerPress, sendText } from '../send.js';
import { resumedEvent, textAt, timeoutMinutesProp, waitForChat } from '../wait.js';

/** Outputs a choice may not be called: the node's own, and the one `onError: route` adds. */
const RESERVED_PORTS = new Set(['other', 'timeout', 'error']);

const choice = z.object({
  /** Output port and callback data: known when the flow is saved, so not an expression. */
  id: ui(z.string().trim().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'use lowercase letters, digits, - and _ (up to 40), like yes or talk-to-sales'), {
    title: 'Output', description: 'Id of the output this button continues on (also its callback data)', placeholder: 'yes', expression: false,
  }),
  title: ui(z.string().trim().min(1, 'enter the button text').max(64, 'a button text is at most 64 characters'), {
    title: 'Button text', description: 'What the button says; a contact typing it counts as pressing it',
  }),
});

const props = z.object({
  chatId: chatIdProp,
  text: ui(z.string().min(1, 'enter the question'), { title: 'Text', description: 'What to ask; {name} inserts a value', widget: 'textarea' }),
  parseMode: parseModeProp,
  values: valuesProp,
  /** Default: Yes / No. */
  choices: ui(z.array(choice).min(1, 'add at least one button').max(20, 'at most 20 buttons').default([{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }])
    .superRefine((choices, ctx) => {
      const seen = new Set<string>();
      choices.forEach((c, index) => {
        if (RESERVED_PORTS.has(c.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `"${c.id}" is reserved; pick another output id` });
        else if (seen.has(c.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `output "${c.id}" is used by an earlier button` });
        seen.add(c.id);
      });
    }), { title: 'Buttons', description: 'One output per button' }),
  buttonsPerRow: buttonsPerRowProp,
  /** Default: none (the button just stops spinning). */
  pressedText: ui(z.string().max(200).optional(), {
    title: 'Notification on press', description: 'Shown briefly to the contact when they press a button; {choice} is the button text',
  }),
  timeoutMinutes: timeoutMinutesProp,
});
type Choice = z.infer<typeof choice>;

/** The button a reply stands for: a pressed button's data, or a typed text equal to a button's text or id. */
function chosen(choices: readonly Choice[], reply: JsonObject): Choice | undefined {
  const data = textAt(reply, 'message', 'choice', 'id') ?? textAt(reply, 'callbackData');
  if (data !== undefined) return choices.find((c) => c.id === data);
  const typed = textAt(reply, 'message', 'text')?.trim().toLowerCase();
  if (typed === undefined) return undefined;
  return choices.find((c) => c.title.toLowerCase() === typed || c.id === typed);
}

/**
 * Asks a question with an inline keyboard and parks the execution until the chat answers: a press
 * (or typing a button's text) continues on that button's output, with the press answered so the
 * button stops spinning; any other message goes to `other`, silence to `timeout`.
 */
export default defineNode({
  type: 'telegram.send-and-wait-choice',
  version: 1,
  title: 'Telegram: send and wait for a choice',
  category: 'Channels',
  description: 'Asks a question with buttons in a Telegram chat and continues on the chosen button\'s output',
  icon: 'hourglass',
  props,
  credentials: credentialSlots,
  ports: { in: ['main'], out: (p) => [...p.choices.map((c) => c.id), 'other', 'timeout'] },
  sideEffects: true,
  async run(ctx, input, p) {
    if (ctx.resumed) {
      const reply = resumedEvent(ctx.resumed);
      if (!reply) return { timeout: input };
      const pick = chosen(p.choices, reply);
      const queryId = textAt(reply, 'callbackQueryId');
      if (queryId !== undefined) {
        const text = pick && p.pressedText ? fillTemplate(p.pressedText, [{ name: 'choice', value: pick.title }], 'none') : undefined;
        // The choice counts even if Telegram no longer takes the answer (a press answered late).
        const answer = await answerPress(ctx, { callback_query_id: queryId, ...(text ? { text } : {}) });
        if (!answer.ok) ctx.log.warn('the button press could not be answered', { description: answer.failure.description });
      }
      return pick ? { [pick.id]: { ...reply, choice: { id: pick.id, title: pick.title } } } : { other: reply };
    }
    const sent = await sendText(ctx, {
      chatId: p.chatId, text: p.text, parseMode: p.parseMode, values: p.values, overLongText: 'refuse', disableLinkPreview: true,
      keyboard: { inline_keyboard: rows(p.choices, p.buttonsPerRow) },
      choices: p.choices.map((c) => ({ id: c.id, title: c.title })),
    });
    return waitForChat(ctx, sent.at(-1)!, p.timeoutMinutes);
  },
});

function rows(choices: readonly Choice[], perRow: number) {
  const out: { text: string; callback_data: string }[][] = [];
  for (let i = 0; i < choices.length; i += perRow) out.push(choices.slice(i, i + perRow).map((c) => ({ text: c.title, callback_data: c.id })));
  return out;
}
