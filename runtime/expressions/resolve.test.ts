import type { Json } from '@switchyard/sdk';
import { NonRetryableError } from '@switchyard/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandboxPool, SandboxError, type ExpressionData } from '../sandbox/index.js';
import { ExpressionError, resolveProps } from './index.js';

const data: ExpressionData = {
  $json: { name: 'Ada', total: 10, tags: ['a', 'b'], user: { id: 7, profile: { city: 'Oslo' } }, none: null, 'odd key': true },
  $trigger: { body: { text: 'hi' } },
  $node: { fetch: { json: { status: 200, items: [{ id: 1 }, { id: 2 }] } } },
  $vars: { REGION: 'eu' },
  $execution: { id: 'ex1', flowId: 'fl1', mode: 'manual', resumeUrl: 'http://127.0.0.1/hooks/resume/t' },
};

const pool = createSandboxPool();
/** A closed pool fails every call: resolving against it proves the sandbox was not used. */
const closed = createSandboxPool();
beforeAll(() => closed.close());
afterAll(() => pool.close());

async function failure(promise: Promise<unknown>): Promise<ExpressionError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe('resolveProps', () => {
  it('returns the very same props when there is no expression', async () => {
    const props = { url: 'https://x.test/{a}', nested: { list: ['{{ not closed', 1, null] }, flag: true };
    expect(await resolveProps(props, data, closed)).toBe(props);
  });

  it('keeps the type of a whole-string expression and concatenates mixed strings', async () => {
    const resolved = await resolveProps({
      count: '{{ $json.total }}',
      user: '{{ $json.user }}',
      missing: '{{ $json.nope }}',
      text: 'Hi {{ $json.name }} from {{ $vars.REGION }}: {{ $json.tags }} {{ $json.user.profile }}|{{ $json.none }}|{{ $json.nope }}|',
      spaced: ' {{ $json.total }}',
      math: '{{ $json.total * 2 }}',
    }, data, pool);
    expect(resolved).toEqual({
      count: 10,
      user: { id: 7, profile: { city: 'Oslo' } },
      missing: null,
      text: 'Hi Ada from eu: ["a","b"] {"city":"Oslo"}|||',
      spaced: ' 10',
      math: 20,
    });
  });

  it('walks objects and arrays deeply, sharing untouched subtrees', async () => {
    const untouched = { a: [1, 2, { b: 'plain' }] };
    const props = {
      headers: [{ name: 'X-Id', value: '{{ $execution.id }}' }, { name: 'X-Static', value: 'v' }],
      body: { deep: { deeper: ['{{ $node["fetch"].json.items[1].id }}', '{{ $trigger.body.text.toUpperCase() }}'] } },
      untouched,
    };
    const resolved = await resolveProps(props, data, pool);
    expect(resolved).toEqual({
      headers: [{ name: 'X-Id', value: 'ex1' }, { name: 'X-Static', value: 'v' }],
      body: { deep: { deeper: [2, 'HI'] } },
      untouched,
    });
    expect(resolved.untouched).toBe(untouched);
    expect(resolved.headers[1]).toBe(props.headers[1]);
    expect(props.headers[0]!.value).toBe('{{ $execution.id }}');
  });

  it('never evaluates literal props', async () => {
    const props = { code: 'return {{ $json.total }}', cron: '{{ x }}', other: '{{ $json.total }}' };
    expect(await resolveProps(props, data, closed, { literal: ['code', 'cron'] }))
      .toEqual({ code: 'return {{ $json.total }}', cron: '{{ x }}', other: 10 });
    const onlyLiteral = { code: '{{ 1 }}' };
    expect(await resolveProps(onlyLiteral, data, closed, { literal: ['code'] })).toBe(onlyLiteral);
  });

  it('reads plain paths without the sandbox', async () => {
    expect(await resolveProps({
      a: '{{ $json }}', b: '{{ $json.user.profile.city }}', c: '{{ $json["odd key"] }}', d: '{{ $node.fetch.json.items[0] }}',
      e: '{{ $input.name }}', f: '{{ $vars.NOPE }}', g: 'id={{ $execution.flowId }}', h: '{{ $json.tags.length }}',
    }, data, closed)).toEqual({
      a: data.$json, b: 'Oslo', c: true, d: { id: 1 }, e: 'Ada', f: null, g: 'id=fl1', h: 2,
    });
  });

  it('reports a failing expression with the expression and the cause', async () => {
    const error = await failure(resolveProps({ x: '{{ $json.a.b.c }}' }, { ...data, $json: { a: {} } }, closed));
    expect(error.message).toBe("expression {{ $json.a.b.c }} failed: Cannot read properties of undefined (reading 'c')");
    expect(error.code).toBe('expression_error');
    expect(error).toBeInstanceOf(NonRetryableError);

    const thrown = await failure(resolveProps({ x: 'a {{ (() => { throw new Error("nope") })() }}' }, data, pool));
    expect(thrown.message).toBe('expression {{ (() => { throw new Error("nope") })() }} failed: nope');
    expect(thrown.cause).toBeInstanceOf(SandboxError);

    const syntax = await failure(resolveProps({ x: '{{ $json.name + }}' }, data, pool));
    expect(syntax.message).toMatch(/^expression \{\{ \$json\.name \+ \}\} failed: SyntaxError: /);

    const notJson = await failure(resolveProps({ x: '{{ () => 1 }}' }, data, pool));
    expect(notJson.message).toMatch(/failed: result is not JSON: a function/);
  });

  it('reports the first failure in document order', async () => {
    const error = await failure(resolveProps({ a: '{{ $json.name }}', b: '{{ nope1 }}', c: '{{ $json.x.y }}' }, data, pool));
    expect(error.message).toBe('expression {{ nope1 }} failed: nope1 is not defined');
  });

  it('names the expression that ran past the limit', async () => {
    const error = await failure(resolveProps(
      { a: '{{ $json.name.length }}', b: '{{ (() => { for (;;); })() }}' }, data, pool, { timeoutMs: 100 },
    ));
    expect(error.message).toMatch(/^expression \{\{ \(\(\) => \{ for \(;;\); \}\)\(\) \}\} failed: timed out/);
    expect(await resolveProps({ a: '{{ $json.name.length }}' }, data, pool)).toEqual({ a: 3 });
  });
});

describe('fast path and sandbox agree', () => {
  const sets: ExpressionData[] = [
    data,
    { ...data, $json: { a: { b: [0, { c: 'x' }] }, n: null, empty: {}, list: [] } },
    { ...data, $json: [1, [2, 3], { k: 'v' }], $vars: {} },
    { ...data, $json: null, $node: {} },
  ];
  const expressions = ['$json', '$json.a', '$json.a.b', '$json.a.b[1].c', '$json["a"]["b"][0]', '$json.n', '$json.n.x',
    '$json.missing', '$json.missing.deeper', '$json.empty', '$json.list[0]', '$json[1][0]', '$json[2].k', '$json.length',
    '$json.tags[1]', '$json.user.profile.city', '$node["fetch"].json.status', '$node.fetch.json', '$node.fetch.json.items[1].id',
    '$trigger.body', '$vars.REGION', '$vars.MISSING', '$execution.id', '$input.name'];

  it('on every path and data set, values and errors alike', async () => {
    let deferred = 0;
    for (const set of sets) {
      for (const expression of expressions) {
        const fast = await resolveProps({ v: `{{ ${expression} }}` }, set, closed).then(
          (r) => ({ value: r.v as Json }), (e: Error) => ({ error: e.message }));
        // The fast path hands a few cases to the sandbox (e.g. a named property of an array).
        if ('error' in fast && fast.error.includes('sandbox pool was closed')) {
          deferred += 1;
          continue;
        }
        const slow = await pool.evaluate({ expression, data: set }).then(
          (value) => ({ value }), (e: Error) => ({ error: `expression {{ ${expression} }} failed: ${e.message}` }));
        expect(fast, `${expression} on ${JSON.stringify(set.$json)}`).toEqual(slow);
      }
    }
    expect(deferred).toBeLessThan(5);
  });
});
