import { describe, expect, it } from 'vitest';
import { hasExpression, parseTemplate } from './template.js';

const expr = (source: string) => ({ kind: 'expression', source });
const text = (value: string) => ({ kind: 'text', text: value });

describe('parseTemplate', () => {
  it('splits literal text and trimmed expressions', () => {
    expect(parseTemplate('plain')).toEqual([text('plain')]);
    expect(parseTemplate('{{ $json.a }}')).toEqual([expr('$json.a')]);
    expect(parseTemplate('Hi {{$json.name}}, you owe {{ $json.total * 1.2 }}!')).toEqual([
      text('Hi '), expr('$json.name'), text(', you owe '), expr('$json.total * 1.2'), text('!'),
    ]);
    expect(parseTemplate('{{a}}{{b}}')).toEqual([expr('a'), expr('b')]);
    expect(parseTemplate('')).toEqual([]);
  });

  it('finds the closing braces outside nested braces, strings and template literals', () => {
    expect(parseTemplate('{{ {a: {b: 1}} }}')).toEqual([expr('{a: {b: 1}}')]);
    expect(parseTemplate('{{ $json["}}"] }} x')).toEqual([expr('$json["}}"]'), text(' x')]);
    expect(parseTemplate("{{ 'it\\'s }}' }}")).toEqual([expr("'it\\'s }}'")]);
    expect(parseTemplate('{{ `a${ {x: 1}.x }}` }}!')).toEqual([expr('`a${ {x: 1}.x }}`'), text('!')]);
    expect(parseTemplate('{{ (() => { return 1 })() }}')).toEqual([expr('(() => { return 1 })()')]);
  });

  it('keeps an unclosed {{ as literal text', () => {
    expect(parseTemplate('a {{ b')).toEqual([text('a {{ b')]);
    expect(parseTemplate('{{ x }} and {{ y')).toEqual([expr('x'), text(' and {{ y')]);
    expect(parseTemplate("{{ 'open }}")).toEqual([text("{{ 'open }}")]);
  });
});

describe('hasExpression', () => {
  it('is true only for a closed expression', () => {
    expect(hasExpression('{{ 1 }}')).toBe(true);
    expect(hasExpression('x {{1}} y')).toBe(true);
    expect(hasExpression('no braces')).toBe(false);
    expect(hasExpression('{ single }')).toBe(false);
    expect(hasExpression('{{ never closed')).toBe(false);
  });
});
