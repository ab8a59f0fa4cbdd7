import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { GUARD_MARGIN_MS } from './host-process.js';
import { createSandboxPool, SandboxError, type ExpressionData } from './index.js';

const data: ExpressionData = {
  $json: { a: 1 }, $trigger: {}, $node: {}, $vars: {}, $execution: { id: 'e', flowId: 'f', mode: 'test', resumeUrl: 'http://127.0.0.1/hooks/resume/t' },
};
const LIMIT_MS = 200;
/** Generous: the machine is shared and a replaced host has to start. */
const MARGIN_MS = 3000;

const restartReasons: string[] = [];
const pool = createSandboxPool({ timeoutMs: LIMIT_MS, onRestart: (reason) => restartReasons.push(reason) });
afterAll(() => pool.close());

let keys = 0;
const run = (source: string, timeoutMs?: number) => pool.runCode({ cacheKey: `l${keys++}`, source, data, timeoutMs });

async function timed(promise: Promise<unknown>): Promise<{ error: SandboxError; ms: number }> {
  const started = performance.now();
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(SandboxError);
  return { error: error as SandboxError, ms: performance.now() - started };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A reparented child that nobody reaped yet is a zombie: dead for our purposes.
  const stat = fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8') : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (check()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return check();
}

describe('runaways', () => {
  it('stops an endless loop at the CPU limit, and the next call works', async () => {
    await run('return 1');
    const { error, ms } = await timed(run('for (;;) {}'));
    expect(error.code).toBe('sandbox_timeout');
    expect(error.message).toMatch(/200 ms/);
    expect(ms).toBeLessThan(LIMIT_MS + MARGIN_MS);
    expect((await run('return "after"')).result).toBe('after');
  });

  it('stops a microtask loop, awaited or not', async () => {
    for (const source of ['(async () => { for (;;) await 0; })(); return 1', 'await (async () => { for (;;) await 0; })()',
      'const spin = () => Promise.resolve().then(spin); spin(); return 1']) {
      const { error, ms } = await timed(run(source));
      expect(error.code, source).toBe('sandbox_timeout');
      expect(ms).toBeLessThan(LIMIT_MS + MARGIN_MS);
      expect((await run('await 0; return 2')).result).toBe(2);
    }
  });

  it('stops blocking waits and catastrophic regexes', async () => {
    for (const source of ['Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)', 'return /(a+)+$/.test("a".repeat(40) + "b")']) {
      const { error, ms } = await timed(run(source));
      expect(error.code, source).toBe('sandbox_timeout');
      expect(ms).toBeLessThan(LIMIT_MS + MARGIN_MS);
    }
    expect((await run('return 4')).result).toBe(4);
  });

  it('fails a promise that can never settle at once, with a clear message', async () => {
    const { error, ms } = await timed(run('await new Promise(() => {}); return 1'));
    expect(error.code).toBe('sandbox_timeout');
    expect(error.message).toMatch(/never/);
    expect(ms).toBeLessThan(LIMIT_MS + MARGIN_MS);
    expect((await run('return 3')).result).toBe(3);
  });

  it('stops an endless expression', async () => {
    const { error } = await timed(pool.evaluate({ expression: '(() => { for (;;); })()', data }));
    expect(error.code).toBe('sandbox_timeout');
    expect(await pool.evaluate({ expression: '1 + 1', data })).toBe(2);
  });

  it('stops a memory bomb with a memory error; the host recovers without a restart', async () => {
    const small = createSandboxPool({ memoryMb: 64, timeoutMs: 10_000 });
    try {
      expect((await small.runCode({ cacheKey: 'ok', source: 'return 1', data })).result).toBe(1);
      const pid = small.hostPids()[0];
      const { error, ms } = await timed(small.runCode({ cacheKey: 'bomb', source: 'const a = []; for (;;) a.push(new Array(1e6).fill(1))', data }));
      expect(error.code).toBe('sandbox_memory');
      expect(error.message).toMatch(/64 MB/);
      expect(ms).toBeLessThan(10_000 + MARGIN_MS);
      expect((await small.runCode({ cacheKey: 'ok', source: 'return 2', data })).result).toBe(2);
      expect(small.hostPids()).toEqual([pid]);
      expect(small.restarts).toBe(0);
    } finally {
      await small.close();
    }
  });
});

describe('host processes', () => {
  it('fails the running call with sandbox_crashed when its host is killed, replaces the host, and runs the queued calls', async () => {
    await run('return 0');
    const [pid] = pool.hostPids();
    const before = pool.restarts;
    const victim = run('for (;;) {}', 30_000);
    const queued = Array.from({ length: 5 }, (_, i) => pool.evaluate({ expression: `${i} * 10`, data }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    process.kill(pid!, 'SIGKILL');
    const { error } = await timed(victim);
    expect(error.code).toBe('sandbox_crashed');
    expect(error.message).toMatch(/SIGKILL/);
    expect(await Promise.all(queued)).toEqual([0, 10, 20, 30, 40]);
    expect(pool.restarts).toBe(before + 1);
    expect(restartReasons.at(-1)).toMatch(/died/);
    expect((await run('return "works"')).result).toBe('works');
    expect(pool.hostPids()).not.toContain(pid);
  });

  it('kills and replaces a host that stops answering (wall-clock guard)', async () => {
    await run('return 0');
    const [pid] = pool.hostPids();
    const before = pool.restarts;
    process.kill(pid!, 'SIGSTOP');
    const { error, ms } = await timed(run('return 1'));
    expect(error.code).toBe('sandbox_timeout');
    expect(ms).toBeGreaterThanOrEqual(LIMIT_MS + GUARD_MARGIN_MS - 50);
    expect(ms).toBeLessThan(LIMIT_MS + GUARD_MARGIN_MS + MARGIN_MS);
    expect(await waitFor(() => !isAlive(pid!), 5000)).toBe(true);
    // The pool counts the restart when it hears the host's exit, which may come a moment after the
    // process is gone from the table.
    expect(await waitFor(() => pool.restarts === before + 1, 5000)).toBe(true);
    expect((await run('return "fresh"')).result).toBe('fresh');
  });

  const fixture = fileURLToPath(new URL('./fixtures/parent.ts', import.meta.url));
  function startParent(mode: 'exit' | 'hang' | 'close') {
    const child = spawn(process.execPath, ['--no-node-snapshot', '--conditions=switchyard-source', '--import', 'tsx', fixture, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const first = new Promise<{ value: number; pids: number[] }>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
      });
      child.once('exit', (code) => reject(new Error(`parent exited (${code}) before reporting`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, first, exited, output: () => out };
  }

  it('does not keep its parent alive, and its hosts exit with it', async () => {
    const { first, exited } = startParent('exit');
    const { value, pids } = await first;
    expect(value).toBe(42);
    expect(await exited).toBe(0);
    expect(await waitFor(() => pids.every((pid) => !isAlive(pid)), 5000)).toBe(true);
  });

  it('close() settles although an idle host does not keep the process alive', async () => {
    const { first, exited, output } = startParent('close');
    const { pids } = await first;
    expect(await exited).toBe(0);
    expect(output()).toMatch(/\nclosed\n$/);
    expect(pids.every((pid) => !isAlive(pid))).toBe(true);
  });

  it('hosts exit when their parent is killed', async () => {
    const { child, first, exited } = startParent('hang');
    const { pids } = await first;
    expect(pids).toHaveLength(1);
    expect(isAlive(pids[0]!)).toBe(true);
    child.kill('SIGKILL');
    await exited;
    expect(await waitFor(() => pids.every((pid) => !isAlive(pid)), 5000)).toBe(true);
  });
});
