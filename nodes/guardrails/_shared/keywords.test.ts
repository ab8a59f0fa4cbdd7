import { describe, expect, it } from 'vitest';
import { findKeywords } from './keywords.js';

const words = (text: string, list: string[], options = {}) => findKeywords(text, list, options).map((m) => text.slice(m.start, m.end));

describe('keyword lists', () => {
  it('match whole words after Unicode normalisation and case folding, and say where', () => {
    expect(findKeywords('I want a REFUND now', ['refund'])).toEqual([{ keyword: 'refund', start: 9, end: 15 }]);
    expect(words('ｆｒｅｅ money', ['free'])).toEqual(['ｆｒｅｅ']);
    expect(words('a classic case', ['class'])).toEqual([]);
    expect(words('a classic case', ['class'], { wholeWord: false })).toEqual(['class']);
    expect(words('talk to a   Human\tplease', ['a human'])).toEqual(['a   Human']);
  });

  it('drop diacritics unless told not to', () => {
    expect(words('un café crème', ['cafe'])).toEqual(['café']);
    expect(words('un café crème', ['cafe'], { stripDiacritics: false })).toEqual([]);
    expect(words('un café crème', ['café'], { stripDiacritics: false })).toEqual(['café']);
  });

  it('read look-alike and spaced-out spellings only in look-alike mode', () => {
    const list = ['free', 'scam'];
    expect(words('get it fr33 now, $cam alert', list)).toEqual([]);
    expect(words('get it fr33 now, $cam alert', list, { lookalikes: true })).toEqual(['fr33', '$cam']);
    expect(words('totally f r e e stuff', list, { lookalikes: true })).toEqual(['f r e e']);
    expect(words('s.c.a.m!', list, { lookalikes: true })).toEqual(['s.c.a.m']);
    // Cyrillic а and е in an otherwise Latin word.
    expect(words('frее scаm', list, { lookalikes: true })).toEqual(['frее', 'scаm']);
    // A spaced-out sentence of ordinary words is not collapsed into one.
    expect(words('a b c free', ['abc'], { lookalikes: true })).toEqual(['a b c']);
  });

  it('ignore empty entries and keep emoji and surrogate pairs in their place', () => {
    expect(findKeywords('😀 urgent 😀', ['', '  ', 'urgent'])).toEqual([{ keyword: 'urgent', start: 3, end: 9 }]);
  });
});
