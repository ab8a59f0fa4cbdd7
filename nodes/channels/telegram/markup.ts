/**
 * Telegram's formatting modes and how user text is made safe in each: a value typed by a contact
 * ("1.5 * 2 = 3!", "<b>&") must reach them exactly as typed, never break the message ("can't parse
 * entities") nor format it.
 */

/** How Telegram reads a text: as is, as MarkdownV2, or as its HTML subset. */
export const PARSE_MODES = ['none', 'MarkdownV2', 'HTML'] as const;
export type ParseMode = (typeof PARSE_MODES)[number];

export const PARSE_MODE_LABELS: Record<ParseMode, string> = {
  none: 'Plain text',
  MarkdownV2: 'MarkdownV2 (*bold*, _italic_, [link](url))',
  HTML: 'HTML (<b>, <i>, <a href>)',
};

/**
 * Every character MarkdownV2 reserves, plus the backslash itself. Telegram allows any character
 * from 1 to 126 to be escaped anywhere, code and link targets included, so one escape fits all contexts.
 */
const MARKDOWN_V2_RESERVED = /[_*[\]()~`>#+\-=|{}.!\\]/g;

/** `text` as MarkdownV2 that Telegram shows exactly as `text`. */
export function escapeMarkdownV2(text: string): string {
  return text.replace(MARKDOWN_V2_RESERVED, '\\$&');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** `text` as Telegram HTML shown exactly as `text` (quotes too, so it is safe inside `href="…"`). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** `text` made literal for `mode`. */
export function escapeFor(mode: ParseMode, text: string): string {
  if (mode === 'MarkdownV2') return escapeMarkdownV2(text);
  if (mode === 'HTML') return escapeHtml(text);
  return text;
}

/** A value inserted into a message as `{name}`. */
export interface TemplateValue {
  name: string;
  value: string;
}

/** `{name}`, not preceded by a backslash (an escaped `\{name\}` in MarkdownV2 is literal text). */
const PLACEHOLDER = /(\\?)\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * The author's formatted `template` with each `{name}` replaced by its value, escaped for `mode`.
 * Names without a value stay as written, so braces the author means literally survive.
 */
export function fillTemplate(template: string, values: readonly TemplateValue[], mode: ParseMode): string {
  if (values.length === 0) return template;
  const byName = new Map(values.map((v) => [v.name, v.value]));
  return template.replace(PLACEHOLDER, (whole, backslash: string, name: string) => {
    const value = byName.get(name);
    return backslash || value === undefined ? whole : escapeFor(mode, value);
  });
}
