import { z } from 'zod';
import { NonRetryableError, ui, type JsonObject } from '@switchyard/sdk';

/** Cloud API limits on interactive messages. */
export const LIMITS = { body: 1024, header: 60, footer: 60, buttons: 3, buttonTitle: 20, buttonId: 256, listButton: 20, rows: 10, sections: 10, rowTitle: 24, rowDescription: 72, rowId: 200, sectionTitle: 24 } as const;

/** The message text above the buttons or list. */
export const bodyField = ui(z.string().min(1, 'enter the message text').max(LIMITS.body, `at most ${LIMITS.body} characters`), {
  title: 'Text', description: `The message above the buttons (up to ${LIMITS.body} characters)`, widget: 'textarea',
});
/** Default: none. */
export const headerField = ui(z.string().max(LIMITS.header, `at most ${LIMITS.header} characters`).optional(), {
  title: 'Header', description: `Bold line above the text (up to ${LIMITS.header} characters)`, group: 'Options',
});
/** Default: none. */
export const footerField = ui(z.string().max(LIMITS.footer, `at most ${LIMITS.footer} characters`).optional(), {
  title: 'Footer', description: `Grey line under the text (up to ${LIMITS.footer} characters)`, group: 'Options',
});

/** A reply button: its id comes back in the contact's answer (`choice.id`). */
export const replyButton = z.object({
  id: ui(z.string().trim().min(1, 'enter the button id').max(LIMITS.buttonId), { title: 'Id', description: 'Comes back as choice.id when the contact taps the button', placeholder: 'yes' }),
  title: ui(z.string().trim().min(1, 'enter the button text').max(LIMITS.buttonTitle, `at most ${LIMITS.buttonTitle} characters`), {
    title: 'Button text', description: `What the contact sees (up to ${LIMITS.buttonTitle} characters)`, placeholder: 'Yes',
  }),
});

/** Up to three reply buttons with distinct ids and texts. */
export const replyButtonsField = ui(z.array(replyButton).min(1, 'add at least one button').max(LIMITS.buttons, `WhatsApp shows at most ${LIMITS.buttons} reply buttons; use a list for more`)
  .superRefine((buttons, ctx) => {
    const ids = new Set<string>();
    const titles = new Set<string>();
    buttons.forEach((b, index) => {
      if (ids.has(b.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `id "${b.id}" is used by an earlier button` });
      if (titles.has(b.title)) ctx.addIssue({ code: 'custom', path: [index, 'title'], message: `"${b.title}" is the text of an earlier button` });
      ids.add(b.id);
      titles.add(b.title);
    });
  }), { title: 'Buttons', description: `Up to ${LIMITS.buttons} reply buttons` });

/**
 * An interactive reply-buttons message. The limits are checked again here because values may come
 * from expressions, which the saved form could not check.
 */
export function buttonsMessage(p: { text: string; header?: string; footer?: string; buttons: readonly { id: string; title: string }[] }): JsonObject {
  if (p.buttons.length === 0 || p.buttons.length > LIMITS.buttons) {
    throw new NonRetryableError(`buttons: WhatsApp needs 1 to ${LIMITS.buttons} reply buttons, not ${p.buttons.length}`, { code: 'too_many_buttons' });
  }
  p.buttons.forEach((b, index) => {
    if ([...b.title].length > LIMITS.buttonTitle) {
      throw new NonRetryableError(`buttons[${index}].title: "${b.title}" is ${[...b.title].length} characters; WhatsApp allows ${LIMITS.buttonTitle}`, { code: 'button_title_too_long' });
    }
  });
  const interactive: JsonObject = {
    type: 'button',
    body: { text: p.text },
    action: { buttons: p.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) },
  };
  if (p.header) interactive.header = { type: 'text', text: p.header };
  if (p.footer) interactive.footer = { text: p.footer };
  return { type: 'interactive', interactive };
}
