import { z } from 'zod';
import { ui } from '@switchyard/sdk';
import { PARSE_MODES, PARSE_MODE_LABELS } from './markup.js';

/**
 * Prop schemas the Telegram send nodes share. Every field that may hold an expression is a string:
 * a whole-string expression keeps its type (`{{ $trigger.messageId }}` is a number), so ids accept a
 * number and read it as text.
 */

/** A string, or a number read as its decimal text (ids that come from expressions). */
export function idText(schema: z.ZodString) {
  return z.preprocess((v) => (typeof v === 'number' ? String(v) : v), schema);
}

/** Chat id (`123`, `-100…` for groups and channels) or a public `@channelusername`. */
export const CHAT_ID_PATTERN = /^(-?\d{1,20}|@[A-Za-z][A-Za-z0-9_]{3,31})$/;

export const credentialSlots = { bot: { kind: 'telegram-bot', title: 'Telegram bot' } } as const;

/** Default: the chat the trigger's event came from. */
export const chatIdProp = ui(idText(z.string().trim().min(1, 'enter the chat id')).default('{{ $trigger.contact.id }}'), {
  title: 'Chat',
  description: 'Chat id or @channelusername; by default the chat the trigger\'s message came from',
  placeholder: '{{ $trigger.contact.id }}',
});

export const parseModeProp = ui(z.enum(PARSE_MODES).default('none'), {
  title: 'Formatting',
  description: 'How Telegram reads the text. With formatting, put what users typed in Values and write {name} in the text: it is escaped for you',
  enumLabels: PARSE_MODE_LABELS,
});

const valueName = ui(z.string().trim().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'use letters, digits and _, starting with a letter, like name'), {
  title: 'Name', description: 'Written in the text as {name}', expression: false,
});

/** Default: none. */
export const valuesProp = ui(z.array(z.object({
  name: valueName,
  value: ui(idText(z.string()), { title: 'Value', description: 'Inserted as plain text, escaped for the formatting chosen' }),
})).default([]), {
  title: 'Values',
  description: 'Text inserted at {name} in the message, escaped so Telegram shows it exactly as it is (user input, names, prices)',
});

export const overLongTextProp = ui(z.enum(['split', 'refuse']).default('split'), {
  title: 'Text over 4,096 characters',
  description: 'Telegram\'s limit per message',
  enumLabels: { split: 'Send it in several messages', refuse: 'Fail the step' },
});

/** An inline keyboard button: a callback (pressing it sends `value` back as a callback query) or a link. */
const button = z.object({
  title: ui(z.string().trim().min(1, 'enter the button text').max(64, 'a button text is at most 64 characters'), {
    title: 'Text', description: 'What the button says',
  }),
  action: ui(z.enum(['callback', 'url']).default('callback'), {
    title: 'Action', description: 'What pressing the button does',
    enumLabels: { callback: 'Send a callback to the flow', url: 'Open a link' },
  }),
  value: ui(idText(z.string().trim().min(1, 'enter the callback data or the link')), {
    title: 'Callback data or URL', description: 'Callback: up to 64 bytes, received as the trigger\'s callbackData. Link: an https:// address',
  }),
});
export type Button = z.infer<typeof button>;

/** Checks what Telegram would refuse, after expressions resolved. */
export function checkButtons(buttons: readonly Button[], ctx: z.RefinementCtx): void {
  buttons.forEach((b, index) => {
    if (b.action === 'callback' && Buffer.byteLength(b.value, 'utf8') > 64) {
      ctx.addIssue({ code: 'custom', path: [index, 'value'], message: `callback data is ${Buffer.byteLength(b.value, 'utf8')} bytes; Telegram allows at most 64` });
    }
    if (b.action === 'url' && !/^(https?|tg):\/\/[^\s]+$/.test(b.value)) {
      ctx.addIssue({ code: 'custom', path: [index, 'value'], message: 'a link button needs an http(s):// or tg:// address' });
    }
  });
}

/** Default: no keyboard. */
export const buttonsProp = ui(z.array(button).max(100, 'Telegram shows at most 100 buttons').default([]).superRefine(checkButtons), {
  title: 'Buttons',
  description: 'An inline keyboard under the message',
});

/** Default: 1. */
export const buttonsPerRowProp = ui(z.number().int().min(1).max(8).default(1), {
  title: 'Buttons per row', description: 'How many buttons sit side by side',
});

export const disableLinkPreviewProp = ui(z.boolean().default(false), {
  title: 'No link preview', description: 'Do not show a preview of the first link in the text',
});

/** Default: not a reply. */
export const replyToProp = ui(idText(z.string().trim().regex(/^\d*$/, 'a message id is a number')).optional(), {
  title: 'Reply to message', description: 'Id of a message in the chat to reply to, e.g. {{ $trigger.messageId }}',
});
