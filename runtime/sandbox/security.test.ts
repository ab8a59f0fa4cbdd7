import { afterAll, describe, expect, it } from 'vitest';
import type { Json } from '@switchyard/sdk';
import { createSandboxPool, SandboxError, type ExpressionData } from './index.js';

const data: ExpressionData = {
  $json: { a: 1 }, $trigger: {}, $node: {}, $vars: {}, $execution: { id: 'e', flowId: 'f', mode: 'test', resumeUrl: 'http://127.0.0.1/hooks/resume/t' },
};
const pool = createSandboxPool();
afterAll(() => pool.close());

let keys = 0;
/** The code's result, or `error: <message>` when it failed inside the sandbox. */
async function probe(source: string): Promise<unknown> {
  try {
    return (await pool.runCode({ cacheKey: `s${keys++}`, source, data })).result;
  } catch (error) {
    if (error instanceof SandboxError && error.code === 'code_error') return `error: ${error.message}`;
    throw error;
  }
}

/** What a Node host or isolated-vm would expose; none of it may be a global in the sandbox. */
const HOST_ONLY = ['process', 'require', 'module', 'exports', 'global', 'Buffer', 'console', 'ivm', '_ivm',
  'setTimeout', 'setInterval', 'setImmediate', 'WebAssembly', 'WeakRef', 'FinalizationRegistry'];

describe('escapes', () => {
  // Each payload with what it must come to: an error inside the sandbox, or a harmless value.
  const payloads: Array<[name: string, source: string, expected: RegExp | Json]> = [
    ['constructor of this', `return this.constructor.constructor('return process')()`, /^error: Cannot read properties of undefined/],
    ['constructor of data', `return $json.constructor.constructor('return typeof process + typeof require')()`, 'undefinedundefined'],
    ['Function return this', `return Function('return this')().process`, null],
    ['Function require', `return typeof Function('return this')().require`, 'undefined'],
    ['split constructor names', `return Number['constr' + 'uctor']['constr' + 'uctor']('return process')()`, /^error: process is not defined/],
    ['globalThis.require', `return typeof globalThis.require + typeof globalThis.process + typeof globalThis.global`, 'undefinedundefinedundefined'],
    ['import()', `const fs = await import('fs'); return typeof fs.readFileSync`, /^error: /],
    ['import() via Function', `return await Function('return import("child_process")')()`, /^error: /],
    ['prepareStackTrace', `
      Error.prepareStackTrace = (e, frames) => frames.map((f) => String(f.getThis()));
      return new Error('x').stack`, /^error: Cannot add property prepareStackTrace/],
    ['prepareStackTrace by defineProperty', `
      Object.defineProperty(Error, 'prepareStackTrace', { value: () => 'hooked' });
      return new Error('x').stack`, /^error: Cannot define property prepareStackTrace/],
    ['Promise species', `
      let seen = 'none';
      class P extends Promise { static get [Symbol.species]() { seen = typeof process; return Promise; } }
      await P.resolve(1).then((x) => x);
      return seen + '/' + typeof (function () { return this; })()`, 'undefined/undefined'],
    ['Promise species redefined', `
      Object.defineProperty(Promise, Symbol.species, { get() { return function () { return process; }; } });
      return 'defined'`, /^error: Cannot redefine property/],
    ['then hijack', `Promise.prototype.then = function () { return process; }; return 'patched'`, /^error: Cannot assign to read only property 'then'/],
    ['caller of a sloppy function', `
      return Function('const c = arguments.callee.caller; return c === null ? "null" : String(c).slice(0, 40)')()`, 'null'],
    ['caller from toJSON of the result', `
      return { toJSON: Function('const c = arguments.callee.caller; return c === null ? "null" : String(c).slice(0, 40)') }`, 'null'],
    ['caller from console.log', `
      const box = { toJSON: Function('this.caller = arguments.callee.caller; return 1') };
      console.log(box);
      return box.caller === null ? 'null' : typeof box.caller`, 'null'],
    ['eval', `return (0, eval)('typeof process + typeof require')`, 'undefinedundefined'],
  ];
  for (const [name, source, expected] of payloads) {
    it(`${name} reaches nothing of the host`, async () => {
      const outcome = await probe(source);
      if (expected instanceof RegExp) expect(outcome).toMatch(expected);
      else expect(outcome).toEqual(expected);
    });
  }

  it('exposes only standard JavaScript globals', async () => {
    const names = await probe('return Reflect.ownKeys(globalThis).map(String)');
    expect(Array.isArray(names)).toBe(true);
    expect((names as string[]).filter((name) => HOST_ONLY.includes(name))).toEqual([]);
    expect(names).toContain('Object');
  });

  it('keeps host paths out of stack traces', async () => {
    const stack = await probe('return new Error("x").stack');
    expect(typeof stack).toBe('string');
    expect(stack).not.toMatch(/\/work\/|host\.mjs|realm\.mjs|node:/);
  });
});

describe('isolation between executions', () => {
  it('refuses prototype pollution, and the next call sees clean intrinsics', async () => {
    expect(await probe('Object.prototype.polluted = 1; return "done"')).toMatch(/^error: .*(not extensible|read only)/);
    expect(await probe('Array.prototype.map = () => "hacked"; return "done"')).toMatch(/^error: /);
    expect(await probe('Object.defineProperty(Object.prototype, "x", { get() { return 1; } }); return "done"')).toMatch(/^error: /);
    expect(await probe('Object.setPrototypeOf(Array.prototype, null); return "done"')).toMatch(/^error: /);
    expect(await probe('JSON.parse = () => ({ forged: true }); return "done"')).toMatch(/^error: /);
    expect(await probe('$json.constructor.prototype.toJSON = () => "forged"; return "done"')).toMatch(/^error: /);
    expect(await probe('return [({}).polluted ?? "clean", [1, 2].map((x) => x * 2), ({}).x ?? "clean", JSON.parse("{\\"a\\":1}")]'))
      .toEqual(['clean', [2, 4], 'clean', { a: 1 }]);
  });

  it('still lets code shadow inherited members on its own objects', async () => {
    expect(await probe(`
      class MyError extends Error {}
      const e = new MyError('m'); e.name = 'MyError';
      const o = {}; o.toString = () => 'custom'; o.constructor = 'mine';
      return [String(e), String(o), o.constructor]`)).toEqual(['MyError: m', 'custom', 'mine']);
    expect(await probe('Error.prototype.name = "x"; return 1')).toMatch(/^error: /);
  });

  it('gives the next call no way to see state a call tried to stash', async () => {
    const attempts = [
      'globalThis.stash = 1',
      'Function("stash = 1")()',
      '(0, eval)("var stash = 1")',
      '(0, eval)("function stash() {}")',
      '(0, eval)("let stash = 1")',
      'Object.defineProperty(globalThis, "stash", { value: 1 })',
      'Math.stash = 1',
      '/(sec)ret-(\\\\w+)/.exec("secret-token")',
    ];
    for (const attempt of attempts) await probe(`${attempt}; return 'tried'`);
    expect(await probe(`return [typeof globalThis.stash, typeof Math.stash, (0, eval)('typeof stash'),
      String(RegExp.$1), String(RegExp.lastMatch), String(RegExp.input)]`))
      .toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
  });

  it('has frozen every object reachable from the globals and the hidden intrinsics', async () => {
    const unfrozen = await probe(`
      const get = Object.getPrototypeOf;
      const roots = [globalThis, get(async function () {}), get(function* () {}), get(async function* () {}),
        get([][Symbol.iterator]()), get(new Map()[Symbol.iterator]()), get(new Set()[Symbol.iterator]()),
        get(''[Symbol.iterator]()), get(/x/[Symbol.matchAll]('')), get(get((function* () {})())), get(get((async function* () {})())),
        get(new Intl.Segmenter().segment('')), get(new Intl.Segmenter().segment('')[Symbol.iterator]()),
        get(function () { return arguments; }()), get(Promise.resolve()), get(new Int8Array(0))];
      const seen = new Set(); const found = [];
      const queue = roots.map((o) => [o, 'root']);
      while (queue.length) {
        const [o, path] = queue.pop();
        if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) continue;
        seen.add(o);
        if (!Object.isFrozen(o)) found.push(path);
        queue.push([get(o), path + '.__proto__']);
        for (const key of Reflect.ownKeys(o)) {
          const d = Object.getOwnPropertyDescriptor(o, key);
          if ('value' in d) queue.push([d.value, path + '.' + String(key)]);
          else queue.push([d.get, path + '.get ' + String(key)], [d.set, path + '.set ' + String(key)]);
        }
      }
      return { found, count: seen.size };`);
    expect(unfrozen).toMatchObject({ found: [] });
    expect((unfrozen as { count: number }).count).toBeGreaterThan(500);
  });
});
