import { defineNode, definePlugin, ui } from '@switchyard/sdk';
import { z } from 'zod';

/** Lowercase ASCII words joined by `separator`; accents are folded (é → e). */
export function slugify(text: string, separator: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, separator)
    .replace(new RegExp(`^${escape(separator)}+|${escape(separator)}+$`, 'g'), '');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export const slugifyNode = defineNode({
  type: 'text-utils.slugify', version: 1,
  title: 'Slugify', category: 'Text', icon: 'type',
  description: 'Turns a text into a URL slug ("Hello, World!" → "hello-world").',
  props: z.object({
    text: ui(z.string(), { title: 'Text', description: 'Usually an expression such as {{ $json.title }}' }),
    separator: ui(z.string().max(3).default('-'), { title: 'Separator' }),
  }),
  ports: { in: ['main'], out: ['main'] },
  sideEffects: false,
  run(_ctx, _input, props) {
    return { main: { slug: slugify(props.text, props.separator) } };
  },
});

export const templateNode = defineNode({
  type: 'text-utils.template', version: 1,
  title: 'Fill template', category: 'Text', icon: 'type',
  description: 'Replaces {name} placeholders with values from the incoming message; unknown ones stay as they are.',
  props: z.object({
    template: ui(z.string(), { title: 'Template', widget: 'textarea', expression: false }),
  }),
  ports: { in: ['main'], out: ['main'] },
  sideEffects: false,
  run(_ctx, input, props) {
    const values = typeof input === 'object' && input !== null && !Array.isArray(input) ? input : {};
    const text = props.template.replace(/\{([a-zA-Z0-9_]+)\}/g, (whole, key: string) => {
      const value = Object.hasOwn(values, key) ? values[key] : undefined;
      return value === undefined || value === null ? whole : typeof value === 'string' ? value : JSON.stringify(value);
    });
    return { main: { text } };
  },
});

export const extractEmailsNode = defineNode({
  type: 'text-utils.extract-emails', version: 1,
  title: 'Extract emails', category: 'Text', icon: 'mail',
  description: 'Finds the email addresses in a text (deduplicated, lowercase); emits on "none" when there are none.',
  props: z.object({ text: ui(z.string(), { title: 'Text' }) }),
  ports: { in: ['main'], out: ['main', 'none'] },
  sideEffects: false,
  run(_ctx, _input, props) {
    const found = props.text.match(/[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/gi) ?? [];
    const emails = [...new Set(found.map((email) => email.toLowerCase()))];
    return emails.length > 0 ? { main: { emails } } : { none: { emails: [] } };
  },
});

export default definePlugin({ nodes: [slugifyNode, templateNode, extractEmailsNode] });
