import { describe, expect, it } from 'vitest';
import { parseHtml, parseMarkdownV2 } from './fake-markup.js';
import { escapeHtml, escapeMarkdownV2, fillTemplate } from './markup.js';

/** Every character MarkdownV2 reserves, HTML's three, a backslash, quotes, emoji and a non-BMP character. */
const TRICKY = 'a_b*c[d]e(f)g~h`i>j#k+l-m=n|o{p}q.r!s\\t <u&v> "w" 😀 1.5 * 2 = 3! _*[]()~`>#+-=|{}.!';

describe('escaping user text for Telegram', () => {
  it('MarkdownV2: Telegram reads the escaped text back exactly, with no formatting', () => {
    const parsed = parseMarkdownV2(escapeMarkdownV2(TRICKY));
    expect(parsed).toEqual({ ok: true, text: TRICKY, entities: [] });
  });

  it('MarkdownV2: the same text unescaped is refused the way Telegram refuses it', () => {
    expect(parseMarkdownV2('Total: 1.5')).toEqual({ ok: false, error: "can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'" });
    expect(parseMarkdownV2('*bold')).toMatchObject({ ok: false, error: expect.stringContaining("Can't find end of Bold entity at byte offset 0") });
  });

  it('HTML: Telegram reads the escaped text back exactly, with no formatting', () => {
    expect(parseHtml(escapeHtml(TRICKY))).toEqual({ ok: true, text: TRICKY, entities: [] });
    expect(escapeHtml('<b>&"x"</b>')).toBe('&lt;b&gt;&amp;&quot;x&quot;&lt;/b&gt;');
    expect(parseHtml('a <script> b')).toMatchObject({ ok: false, error: expect.stringContaining('Unsupported start tag "script"') });
  });

  it('fills {name} with escaped values inside the author\'s formatting, leaving unknown and escaped braces alone', () => {
    const values = [{ name: 'name', value: 'O\'Neil_[admin]' }, { name: 'total', value: '1.5*2' }];
    const markdown = fillTemplate('Hi *{name}*, total \\{total\\}: _{total}_ {unknown}', values, 'MarkdownV2');
    expect(markdown).toBe("Hi *O'Neil\\_\\[admin\\]*, total \\{total\\}: _1\\.5\\*2_ {unknown}");
    // {unknown} is not escaped by us: Telegram would refuse it, so the author learns at once.
    const parsed = parseMarkdownV2(markdown.replace(' {unknown}', ''));
    expect(parsed).toEqual({
      ok: true,
      text: "Hi O'Neil_[admin], total {total}: 1.5*2",
      entities: [{ type: 'bold', offset: 3, length: 14 }, { type: 'italic', offset: 34, length: 5 }],
    });
    const html = fillTemplate('<b>{name}</b> <a href="https://x.test/?q={name}">link</a>', [{ name: 'name', value: '<&>"' }], 'HTML');
    expect(parseHtml(html)).toEqual({
      ok: true, text: '<&>" link',
      entities: [{ type: 'bold', offset: 0, length: 4 }, { type: 'text_link', offset: 5, length: 4, url: 'https://x.test/?q=<&>"' }],
    });
    expect(fillTemplate('{a} and {a}', [{ name: 'a', value: '*' }], 'none')).toBe('* and *');
  });

  it('reads the formatting Telegram documents', () => {
    expect(parseMarkdownV2('*b* _i_ __u__ ~s~ ||sp|| `c\\`` [l](https://x.test/a\\)b)\n```js\nx.y\n```')).toEqual({
      ok: true,
      text: 'b i u s sp c` l\nx.y\n',
      entities: [
        { type: 'bold', offset: 0, length: 1 }, { type: 'italic', offset: 2, length: 1 }, { type: 'underline', offset: 4, length: 1 },
        { type: 'strikethrough', offset: 6, length: 1 }, { type: 'spoiler', offset: 8, length: 2 }, { type: 'code', offset: 11, length: 2 },
        { type: 'text_link', offset: 14, length: 1, url: 'https://x.test/a)b' }, { type: 'pre', offset: 16, length: 4, language: 'js' },
      ],
    });
  });
});
