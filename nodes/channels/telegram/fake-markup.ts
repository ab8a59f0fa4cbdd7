/**
 * The fake Bot API's reading of formatted text, as Telegram does it
 * (https://core.telegram.org/bots/api#formatting-options): MarkdownV2 and HTML become plain text plus
 * entities, and a text Telegram would refuse gets Telegram's "can't parse entities" error. This is what
 * makes the send nodes' escaping testable: a wrong escape fails here as it would in production.
 */

export interface MessageEntity {
  type: string;
  /** In UTF-16 code units, as Telegram counts. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export type Parsed = { ok: true; text: string; entities: MessageEntity[] } | { ok: false; error: string };

const RESERVED = '_*[]()~`>#+-=|{}.!';

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

const ENTITY_NAMES: Record<string, string> = {
  bold: 'Bold', italic: 'Italic', underline: 'Underline', strikethrough: 'Strikethrough', spoiler: 'Spoiler',
  code: 'Code', pre: 'Pre', text_link: 'TextUrl', blockquote: 'BlockQuote',
};

interface Open { type: string; start: number; at: number }

/** MarkdownV2 → plain text and entities, or Telegram's error. */
export function parseMarkdownV2(input: string): Parsed {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: Open[] = [];
  const reserved = (ch: string) => ({ ok: false as const, error: `can't parse entities: Character '${ch}' is reserved and must be escaped with the preceding '\\'` });
  const toggle = (type: string, at: number): Parsed | undefined => {
    const top = stack.at(-1);
    if (top?.type === type) {
      stack.pop();
      if (out.length > top.start) entities.push({ type, offset: top.start, length: out.length - top.start });
      return undefined;
    }
    if (stack.some((o) => o.type === type)) return { ok: false, error: `can't parse entities: Can't find end of ${ENTITY_NAMES[top?.type ?? type]} entity at byte offset ${byteOffset(input, top?.at ?? at)}` };
    stack.push({ type, start: out.length, at });
    return undefined;
  };
  let i = 0;
  let lineStart = true;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '\\') {
      const next = input[i + 1];
      if (next === undefined) return reserved('\\');
      out += next;
      i += 2;
      lineStart = false;
      continue;
    }
    if (ch === '`') {
      // Code and pre: everything literal up to the closing backticks, where only ` and \ need escaping.
      const fence = input.startsWith('```', i);
      let j = i + (fence ? 3 : 1);
      let language: string | undefined;
      if (fence) {
        const newline = input.indexOf('\n', j);
        const head = newline === -1 ? '' : input.slice(j, newline);
        if (newline !== -1 && /^[A-Za-z0-9_+-]*$/.test(head)) {
          language = head || undefined;
          j = newline + 1;
        }
      }
      const start = out.length;
      let closed = false;
      while (j < input.length) {
        if (input[j] === '\\' && j + 1 < input.length) { out += input[j + 1]; j += 2; continue; }
        if (fence ? input.startsWith('```', j) : input[j] === '`') { closed = true; break; }
        out += input[j];
        j += 1;
      }
      if (!closed) return { ok: false, error: `can't parse entities: Can't find end of ${fence ? 'Pre' : 'Code'} entity at byte offset ${byteOffset(input, i)}` };
      if (out.length > start) entities.push({ type: fence ? 'pre' : 'code', offset: start, length: out.length - start, ...(language ? { language } : {}) });
      i = j + (fence ? 3 : 1);
      lineStart = false;
      continue;
    }
    let failure: Parsed | undefined;
    if (ch === '*') { failure = toggle('bold', i); i += 1; }
    else if (ch === '_' && input[i + 1] === '_') { failure = toggle('underline', i); i += 2; }
    else if (ch === '_') { failure = toggle('italic', i); i += 1; }
    else if (ch === '~') { failure = toggle('strikethrough', i); i += 1; }
    else if (ch === '|' && input[i + 1] === '|') { failure = toggle('spoiler', i); i += 2; }
    else if (ch === '[') { stack.push({ type: 'text_link', start: out.length, at: i }); i += 1; }
    else if (ch === ']') {
      const top = stack.at(-1);
      if (top?.type !== 'text_link') return reserved(']');
      if (input[i + 1] !== '(') return reserved(']');
      let url = '';
      let j = i + 2;
      while (j < input.length && input[j] !== ')') {
        if (input[j] === '\\' && j + 1 < input.length) { url += input[j + 1]; j += 2; continue; }
        url += input[j];
        j += 1;
      }
      if (j >= input.length) return { ok: false, error: `can't parse entities: Can't find end of a url at byte offset ${byteOffset(input, i + 2)}` };
      stack.pop();
      if (out.length > top.start) entities.push({ type: 'text_link', offset: top.start, length: out.length - top.start, url });
      i = j + 1;
    } else if (ch === '>' && lineStart) {
      const end = input.indexOf('\n', i);
      stack.push({ type: 'blockquote', start: out.length, at: i });
      i += 1;
      // A quote runs to the end of its line; the rest of the line is parsed as usual.
      const line = parseMarkdownV2(input.slice(i, end === -1 ? input.length : end));
      if (!line.ok) return line;
      for (const e of line.entities) entities.push({ ...e, offset: e.offset + out.length });
      out += line.text;
      const quote = stack.pop()!;
      if (out.length > quote.start) entities.push({ type: 'blockquote', offset: quote.start, length: out.length - quote.start });
      i = end === -1 ? input.length : end;
    } else if (RESERVED.includes(ch)) {
      return reserved(ch);
    } else {
      out += ch;
      i += 1;
      lineStart = ch === '\n';
      continue;
    }
    if (failure) return failure;
    lineStart = false;
  }
  const open = stack.at(-1);
  if (open) return { ok: false, error: `can't parse entities: Can't find end of ${ENTITY_NAMES[open.type]} entity at byte offset ${byteOffset(input, open.at)}` };
  return { ok: true, text: out, entities: entities.sort((a, b) => a.offset - b.offset) };
}

const HTML_TAGS: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler',
  span: 'spoiler', a: 'text_link', code: 'code', pre: 'pre', blockquote: 'blockquote',
};
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|lt|gt|amp|quot);/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED[name] ?? whole;
  });
}

/** Telegram's HTML subset → plain text and entities, or Telegram's error. */
export function parseHtml(input: string): Parsed {
  let out = '';
  const entities: MessageEntity[] = [];
  const stack: { tag: string; type: string; start: number; url?: string }[] = [];
  let i = 0;
  while (i < input.length) {
    const lt = input.indexOf('<', i);
    const chunkEnd = lt === -1 ? input.length : lt;
    out += decodeEntities(input.slice(i, chunkEnd));
    if (lt === -1) break;
    const close = input[lt + 1] === '/';
    const nameMatch = /^[a-zA-Z][a-zA-Z0-9-]*/.exec(input.slice(lt + (close ? 2 : 1)));
    const tag = nameMatch?.[0].toLowerCase() ?? '';
    const gt = input.indexOf('>', lt);
    if (gt === -1) return { ok: false, error: `can't parse entities: Unclosed start tag at byte offset ${byteOffset(input, lt)}` };
    if (close) {
      const top = stack.pop();
      if (!top) return { ok: false, error: `can't parse entities: Unexpected end tag at byte offset ${byteOffset(input, lt)}` };
      if (top.tag !== tag) return { ok: false, error: `can't parse entities: Unmatched end tag at byte offset ${byteOffset(input, lt)}, expected "</${top.tag}>", found "</${tag}>"` };
      if (out.length > top.start) entities.push({ type: top.type, offset: top.start, length: out.length - top.start, ...(top.url !== undefined ? { url: top.url } : {}) });
      i = gt + 1;
      continue;
    }
    const type = HTML_TAGS[tag];
    const attributes = input.slice(lt + 1 + tag.length, gt);
    if (type === undefined || (tag === 'span' && !/class\s*=\s*["']?tg-spoiler/.test(attributes))) {
      return { ok: false, error: `can't parse entities: Unsupported start tag "${tag}" at byte offset ${byteOffset(input, lt)}` };
    }
    const href = /href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/.exec(attributes);
    const url = tag === 'a' ? decodeEntities(href?.[1] ?? href?.[2] ?? href?.[3] ?? '') : undefined;
    stack.push({ tag, type, start: out.length, ...(url !== undefined ? { url } : {}) });
    i = gt + 1;
  }
  const open = stack.at(-1);
  if (open) return { ok: false, error: `can't parse entities: Can't find end tag corresponding to start tag "${open.tag}"` };
  return { ok: true, text: out, entities: entities.sort((a, b) => a.offset - b.offset) };
}

/** `text` read with `parseMode` (`undefined`/empty: as is). */
export function parseFormatted(text: string, parseMode: string | undefined): Parsed | { ok: false; error: string } {
  if (parseMode === undefined || parseMode === '') return { ok: true, text, entities: [] };
  if (parseMode === 'MarkdownV2') return parseMarkdownV2(text);
  if (parseMode.toLowerCase() === 'html') return parseHtml(text);
  return { ok: false, error: 'unsupported parse_mode' };
}
