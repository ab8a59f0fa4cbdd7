import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandboxPool, SandboxError, type ExpressionData } from './index.js';

const data: ExpressionData = {
  $json: { a: 1, name: 'ada', items: [1, 2, 3] },
  $trigger: { body: { text: 'hello' } },
  $node: { fetch: { json: { status: 200 } } },
  $vars: { REGION: 'eu' },
  $execution: { id: 'ex1', flowId: 'fl1', mode: 'manual', resumeUrl: 'http://127.0.0.1/hooks/resume/t' },
};

const pool = createSandboxPool({ timeoutMs: 1000 });
afterAll(() => pool.close());

let keys = 0;
const run = (source: string, extra: Partial<ExpressionData> = {}) =>
  pool.runCode({ cacheKey: `k${keys++}`, source, data: { ...data, ...extra } });

async function failure(promise: Promise<unknown>): Promise<SandboxError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SandboxError);
  return error as SandboxError;
}

describe('runCode', () => {
  it('runs an async body with every variable in scope and returns its JSON result', async () => {
    const { result, logs } = await run(`
      await null;
      return { sum: $json.items.reduce((a, b) => a + b, 0), same: $input === $json, text: $trigger.body.text,
               status: $node.fetch.json.status, region: $vars.REGION, execution: $execution };`);
    expect(result).toEqual({ sum: 6, same: true, text: 'hello', status: 200, region: 'eu', execution: data.$execution });
    expect(logs).toEqual([]);
  });

  it('turns undefined into null and serialises dates and NaN the way JSON does', async () => {
    expect((await run('')).result).toBeNull();
    expect((await run('return undefined')).result).toBeNull();
    expect((await run('return { at: new Date(0), n: NaN, skip: undefined }')).result).toEqual({ at: '1970-01-01T00:00:00.000Z', n: null });
  });

  it('collects console output, capped in lines and length', async () => {
    const { logs } = await run('console.log("hi", { a: 1 }, [2], null, 3); console.warn(new TypeError("bad")); return 1');
    expect(logs).toEqual(['hi {"a":1} [2] null 3', 'TypeError: bad']);
    const many = await run('for (let i = 0; i < 500; i++) console.log(i); console.log("x".repeat(10000)); return 1');
    expect(many.logs).toHaveLength(101);
    expect(many.logs[100]).toMatch(/more than 100 lines/);
    const long = await run('console.log("x".repeat(10000))');
    expect(long.logs[0]!.length).toBeLessThanOrEqual(2049);
  });

  it('reports a thrown error with its message only, and its logs', async () => {
    const error = await failure(run('console.log("before"); throw new Error("boom")'));
    expect(error.code).toBe('code_error');
    expect(error.message).toBe('boom');
    expect(error.logs).toEqual(['before']);
    expect(error.stack ?? '').not.toMatch(/isolate|realm\.mjs|host\.mjs/);
    expect((await failure(run('throw "plain"'))).message).toBe('plain');
    expect((await failure(run('return $json.missing.deeper'))).message).toBe("Cannot read properties of undefined (reading 'deeper')");
    expect((await failure(run('await Promise.reject(new RangeError("late"))'))).message).toBe('late');
  });

  it('settles a returned promise or thenable the way an async body would, with or without await', async () => {
    expect((await run('return Promise.resolve(5)')).result).toBe(5);
    expect((await run('return { then(resolve) { resolve({ via: "thenable" }) } }')).result).toEqual({ via: 'thenable' });
    const rejected = await failure(run('console.log("first"); return Promise.reject(new Error("no"))'));
    expect(rejected.message).toBe('no');
    expect(rejected.logs).toEqual(['first']);
    expect((await run('const v = await Promise.resolve(2); return v * 3')).result).toBe(6);
  });

  it('reports a syntax error as code_error', async () => {
    const error = await failure(run('return ))'));
    expect(error.code).toBe('code_error');
    expect(error.message).toMatch(/^SyntaxError: /);
  });

  it('refuses results that are not JSON with a clear not_json error', async () => {
    const cases: Record<string, RegExp> = {
      'return () => 1': /a function as the value/,
      'return { f() {} }': /a function at key "f"/,
      'return Symbol("s")': /a symbol/,
      'return { n: 10n }': /a bigint at key "n"/,
      'const a = {}; a.self = a; return a': /circular/,
      'return new Map([[1, 2]])': /Map\/Set/,
      'return { p: Promise.resolve(1) }': /Promise at key "p"/,
    };
    for (const [source, message] of Object.entries(cases)) {
      const error = await failure(run(source));
      expect(error.code, source).toBe('not_json');
      expect(error.message, source).toMatch(message);
    }
  });

  it('recompiles when the source under a cache key changes', async () => {
    expect((await pool.runCode({ cacheKey: 'same', source: 'return 1', data })).result).toBe(1);
    expect((await pool.runCode({ cacheKey: 'same', source: 'return 2', data })).result).toBe(2);
    expect((await pool.runCode({ cacheKey: 'same', source: 'return 2', data })).result).toBe(2);
  });

  it('sends $trigger and $node only to code that can name them, and to code that can reach them without a name', async () => {
    expect((await run('return [$trigger.body.text, $node.fetch.json.status]')).result).toEqual(['hello', 200]);
    expect((await run('return [arguments[1].body.text, Object.keys(arguments[2])]')).result).toEqual(['hello', ['fetch']]);
    expect((await run('return $json.a')).result).toBe(1);
    expect(await pool.evaluate({ expression: '$node.fetch.json.status + $trigger.body.text.length', data })).toBe(205);
  });

  it('gives 200 concurrent calls each their own answer', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.runCode({
      cacheKey: `c${i % 7}`,
      source: `await 0; console.log($json.i); return { i: $json.i, k: ${i % 7} }`,
      data: { ...data, $json: { i } },
    })));
    results.forEach(({ result, logs }, i) => {
      expect(result).toEqual({ i, k: i % 7 });
      expect(logs).toEqual([String(i)]);
    });
  });
});

describe('large answers', () => {
  it('answers each of many queued calls with a large result in time, instead of holding them all until the queue is done', async () => {
    // One host, calls of ~250 ms each answering 2 MB: the whole queue takes longer than a call's
    // guard (its limit plus a margin), so each answer must leave when its call ends.
    const single = createSandboxPool({ hosts: 1, timeoutMs: 1000 });
    try {
      const source = 'const end = Date.now() + 250; while (Date.now() < end) {} return { n: $json.n, text: "x".repeat(2e6) }';
      const results = await Promise.all(Array.from({ length: 12 }, (_, n) => single.runCode({ cacheKey: 'big', source, data: { ...data, $json: { n } } })));
      expect(results.map(({ result }) => [(result as { n: number }).n, (result as { text: string }).text.length])).toEqual(Array.from({ length: 12 }, (_, n) => [n, 2e6]));
      expect(single.restarts).toBe(0);
    } finally {
      await single.close();
    }
  });
});

describe('the guard against a wedged host', () => {
  it('does not blame a host whose answer came in time while this process\'s event loop was blocked', async () => {
    // The guard is due 1.3 s after the call is sent (its 300 ms limit plus the margin); the host
    // answers after ~200 ms, while this process is busy until 1.65 s (as a worker parsing a large
    // result would be). Timers run before I/O is read, so the guard fires before the answer is seen.
    const guarded = createSandboxPool({ hosts: 1, timeoutMs: 300 });
    try {
      await guarded.evaluate({ expression: '1', data });
      const call = guarded.runCode({ cacheKey: 'slow', source: 'const end = Date.now() + 200; while (Date.now() < end) {} return "done"', data });
      await new Promise((resolve) => setTimeout(resolve, 50));
      // Busy inside an I/O callback, as a worker handling a large result is: the next loop turn
      // runs due timers before it reads the pipe the host answered on.
      await readFile(fileURLToPath(import.meta.url));
      const busyUntil = Date.now() + 1600;
      while (Date.now() < busyUntil) { /* this process is busy */ }
      expect((await call).result).toBe('done');
      expect(guarded.restarts).toBe(0);
    } finally {
      await guarded.close();
    }
  });
});

describe('evaluate', () => {
  it('evaluates one expression against the data', async () => {
    expect(await pool.evaluate({ expression: '$json.name.toUpperCase() + "-" + $vars.REGION', data })).toBe('ADA-eu');
    expect(await pool.evaluate({ expression: '$node["fetch"].json', data })).toEqual({ status: 200 });
    expect(await pool.evaluate({ expression: '$json.items.map(x => x * 2)', data })).toEqual([2, 4, 6]);
    expect(await pool.evaluate({ expression: '$json.nope', data })).toBeNull();
  });

  it('fails on errors, syntax errors and non-JSON results', async () => {
    expect((await failure(pool.evaluate({ expression: '$json.nope.x', data }))).message).toBe("Cannot read properties of undefined (reading 'x')");
    expect((await failure(pool.evaluate({ expression: '1 +', data }))).message).toMatch(/^SyntaxError/);
    expect((await failure(pool.evaluate({ expression: '', data }))).message).toMatch(/^SyntaxError/);
    expect((await failure(pool.evaluate({ expression: 'Promise.resolve(1)', data }))).code).toBe('not_json');
    // An expression cannot close the function it is compiled into.
    expect((await failure(pool.evaluate({ expression: '1 }); (function () { return 2', data }))).message).toMatch(/^SyntaxError/);
  });

  it('evaluates a batch with an outcome per expression', async () => {
    const outcomes = await pool.evaluateMany({ expressions: ['$json.a + 1', 'oops(', '$trigger.body.text', 'null.x'], data });
    expect(outcomes.map((o) => (o.ok ? o.value : o.error.code))).toEqual([2, 'code_error', 'hello', 'code_error']);
    expect(await pool.evaluateMany({ expressions: [], data })).toEqual([]);
  });

  it('names the expression that stopped a batch', async () => {
    const error = await failure(pool.evaluateMany({ expressions: ['1', '(() => { for (;;); })()', '2'], data, timeoutMs: 100 }));
    expect(error.code).toBe('sandbox_timeout');
    expect(error.expressionIndex).toBe(1);
    expect(await pool.evaluate({ expression: '40 + 2', data })).toBe(42);
  });
});

describe('pool', () => {
  it('spreads concurrent work over several hosts, starting them lazily, and close() kills them', async () => {
    const wide = createSandboxPool({ hosts: 2 });
    expect(wide.hostPids()).toEqual([]);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => wide.evaluate({ expression: `${i} * 2`, data })));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
    const pids = wide.hostPids();
    expect(pids).toHaveLength(2);
    await wide.close();
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    expect((await failure(wide.evaluate({ expression: '1', data }))).code).toBe('sandbox_crashed');
  });
});
