import { z } from 'zod';
import { defineNode, NonRetryableError, ui, type JsonObject } from '@switchyard/sdk';
import { mediaUrl } from '../../meta/media-url.js';
import { recipient, sendMessage } from '../client.js';
import { whatsappAccount } from '../credential.js';
import { accountSlot, defaultCountryField, sentOutput, toField } from '../props.js';

const parameter = z.object({
  value: ui(z.string(), { title: 'Value', description: 'Text for this {{n}} placeholder, in order' }),
});

const button = z.object({
  index: ui(z.number().int().min(0).max(9), { title: 'Button position', description: '0 for the template\'s first button' }),
  kind: ui(z.enum(['quick_reply', 'url']), {
    title: 'Button type', description: 'A quick reply (its payload comes back when tapped) or a URL button (its dynamic suffix)', expression: false,
    enumLabels: { quick_reply: 'Quick reply: payload', url: 'URL: dynamic part' },
  }),
  value: ui(z.string().min(1, 'enter the payload or URL suffix'), { title: 'Value', description: 'Payload of the quick reply, or the text appended to the URL' }),
});

const props = z.object({
  to: toField,
  name: ui(z.string().trim().regex(/^[a-z0-9_]{1,512}$/, 'template names are lowercase letters, digits and _'), {
    title: 'Template name', description: 'As approved in WhatsApp Manager, e.g. order_update', placeholder: 'order_update',
  }),
  language: ui(z.string().trim().regex(/^[a-z]{2,3}(_[A-Za-z]{2,4})?$/, 'a language code such as en, en_US or pt_BR').default('en_US'), {
    title: 'Language', description: 'The approved translation to send, e.g. en_US', placeholder: 'en_US',
  }),
  /** Default: none. */
  headerText: ui(z.array(parameter).max(1, 'a header has at most one variable').default([]), { title: 'Header variable', description: 'Text for the header\'s {{1}}, if it has one' }),
  /** Default: 'none'. */
  headerMedia: ui(z.enum(['none', 'image', 'video', 'document']).default('none'), {
    title: 'Header media', description: 'For templates with a media header', expression: false,
    enumLabels: { none: 'None', image: 'Image', video: 'Video', document: 'Document' },
  }),
  headerMediaUrl: ui(z.string().optional(), { title: 'Header media URL', description: 'Public URL of the header\'s image, video or document' }),
  /** Default: none. */
  body: ui(z.array(parameter).default([]), { title: 'Body variables', description: 'Values for {{1}}, {{2}}, … of the body, in order' }),
  /** Default: none. */
  buttons: ui(z.array(button).default([]), { title: 'Button parameters', description: 'Payloads of quick replies and suffixes of URL buttons' }),
  defaultCountry: defaultCountryField,
}).superRefine((value, ctx) => {
  if (value.headerMedia !== 'none' && value.headerText.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['headerText'], message: 'a header is text or media, not both' });
  }
});

type Props = z.infer<typeof props>;

/** The `components` of a template message: header, body and button parameters. */
export function templateComponents(p: Props): JsonObject[] {
  const components: JsonObject[] = [];
  if (p.headerText.length > 0) components.push({ type: 'header', parameters: p.headerText.map((v) => ({ type: 'text', text: v.value })) });
  if (p.headerMedia !== 'none') {
    const link = mediaUrl(p.headerMediaUrl, 'headerMediaUrl');
    components.push({ type: 'header', parameters: [{ type: p.headerMedia, [p.headerMedia]: { link } }] });
  }
  if (p.body.length > 0) components.push({ type: 'body', parameters: p.body.map((v) => ({ type: 'text', text: v.value })) });
  for (const b of p.buttons) {
    const parameter: JsonObject = b.kind === 'quick_reply' ? { type: 'payload', payload: b.value } : { type: 'text', text: b.value };
    components.push({ type: 'button', sub_type: b.kind, index: String(b.index), parameters: [parameter] });
  }
  return components;
}

/**
 * Sends an approved template: the only message WhatsApp accepts outside the 24-hour window (to
 * start a conversation or answer after a day).
 */
export default defineNode({
  type: 'whatsapp.send-template',
  version: 1,
  title: 'WhatsApp: send template',
  category: 'Channels',
  description: 'Sends an approved template message with its variables; works outside the 24-hour window',
  icon: 'message',
  props,
  credentials: accountSlot,
  ports: { in: ['main'], out: ['main'] },
  sideEffects: true,
  async run(ctx, input, p) {
    const account = whatsappAccount(ctx.credentials.account);
    const to = recipient(p.to, input, p.defaultCountry);
    if (p.body.some((v) => v.value.trim() === '')) throw new NonRetryableError('body: a template variable is empty (WhatsApp refuses empty parameters)', { code: 'empty_parameter' });
    const components = templateComponents(p);
    const template: JsonObject = { name: p.name, language: { code: p.language }, ...(components.length > 0 ? { components } : {}) };
    const text = `Template ${p.name} (${p.language})${p.body.length > 0 ? `: ${p.body.map((v) => v.value).join(' | ')}` : ''}`;
    const sent = await sendMessage(ctx, account, to, { type: 'template', template }, { messageType: 'template', text });
    return sentOutput(sent, { template: p.name });
  },
});
