import { z } from 'zod';
import { defineNode, NonRetryableError, ui, type JsonObject } from '@switchyard/sdk';
import { recipient, sendMessage } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { bodyField, footerField, headerField, LIMITS } from '../interactive.js';
import { accountSlot, defaultCountryField, sentOutput, toField } from '../props.js';

const row = z.object({
  section: ui(z.string().trim().max(LIMITS.sectionTitle, `at most ${LIMITS.sectionTitle} characters`).optional(), {
    title: 'Section', description: 'Rows with the same section title are grouped under it (needed when there are several sections)',
  }),
  id: ui(z.string().trim().min(1, 'enter the row id').max(LIMITS.rowId), { title: 'Id', description: 'Comes back as choice.id when the contact picks the row' }),
  title: ui(z.string().trim().min(1, 'enter the row text').max(LIMITS.rowTitle, `at most ${LIMITS.rowTitle} characters`), { title: 'Row text', description: `Up to ${LIMITS.rowTitle} characters` }),
  description: ui(z.string().max(LIMITS.rowDescription, `at most ${LIMITS.rowDescription} characters`).optional(), { title: 'Description', description: `Grey line under the row (up to ${LIMITS.rowDescription} characters)` }),
});

const props = z.object({
  to: toField,
  text: bodyField,
  button: ui(z.string().trim().min(1, 'enter the button label').max(LIMITS.listButton, `at most ${LIMITS.listButton} characters`), {
    title: 'Button label', description: 'The button that opens the list', placeholder: 'Choose',
  }),
  rows: ui(z.array(row).min(1, 'add at least one row').max(LIMITS.rows, `WhatsApp lists hold at most ${LIMITS.rows} rows`).superRefine((rows, ctx) => {
    const ids = new Set<string>();
    rows.forEach((r, index) => {
      if (ids.has(r.id)) ctx.addIssue({ code: 'custom', path: [index, 'id'], message: `id "${r.id}" is used by an earlier row` });
      ids.add(r.id);
    });
  }), { title: 'Rows', description: `Up to ${LIMITS.rows} rows, grouped by their section` }),
  header: headerField,
  footer: footerField,
  defaultCountry: defaultCountryField,
});

type Row = z.infer<typeof row>;

/** Rows grouped into sections in order of first appearance; WhatsApp wants a title on each when there are several. */
export function listSections(rows: readonly Row[]): JsonObject[] {
  const sections = new Map<string, Row[]>();
  for (const r of rows) {
    const key = r.section ?? '';
    sections.set(key, [...(sections.get(key) ?? []), r]);
  }
  if (sections.size > LIMITS.sections) throw new NonRetryableError(`rows: ${sections.size} sections; WhatsApp allows ${LIMITS.sections}`, { code: 'too_many_sections' });
  if (sections.size > 1 && sections.has('')) throw new NonRetryableError('rows: with several sections, every row needs its section title', { code: 'missing_section' });
  return [...sections].map(([title, members]) => ({
    ...(title !== '' ? { title } : {}),
    rows: members.map((r) => ({ id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) })),
  }));
}

/** Sends a list message: a button that opens up to 10 rows in sections; the pick comes back as `choice`. */
export default defineNode({
  type: 'whatsapp.send-list',
  version: 1,
  title: 'WhatsApp: send list',
  category: 'Channels',
  description: 'Sends a list of up to 10 options behind a button',
  icon: 'layers',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const interactive: JsonObject = { type: 'list', body: { text: p.text }, action: { button: p.button, sections: listSections(p.rows) } };
    if (p.header) interactive.header = { type: 'text', text: p.header };
    if (p.footer) interactive.footer = { text: p.footer };
    const account = whatsappAccount(ctx.credentials.account);
    const to = recipient(p.to, input, p.defaultCountry);
    const sent = await sendMessage(ctx, account, to, { type: 'interactive', interactive }, { messageType: 'interactive', text: p.text, choices: p.rows.map((r) => ({ id: r.id, title: r.title })) });
    return sentOutput(sent);
  },
});
