// Starts the product the way production runs it — real Postgres 15, real Redis, and `switchyard web`
// and `switchyard worker` as two separate processes — and takes all of it down again, even on error.
// Only the public surface is used: the CLI (bin/switchyard.mjs) and HTTP on 127.0.0.1.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startPostgres, startRedis, type RunningService } from '../runtime/testing/services.js';
import { commandLine, descendants, findProcesses, parentPid } from './_proc.js';
import { switchyardNodeArgs } from '../scripts/lib/server-build.mjs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// [...node flags, bin]: the compiled server when it is built (npm run bench builds it), else
// TypeScript with the flags that stop the bin re-executing itself — either way the pid we spawn is
// the product process itself (what we measure), not a wrapper.
const launch = switchyardNodeArgs();
const nodeFlags = launch.slice(0, -1);
const bin = launch[launch.length - 1]!;

export interface ProductProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  logFile: string;
}

export interface System {
  baseUrl: string;
  host: string;
  port: number;
  apiKey: string;
  databaseUrl: string;
  redisUrl: string;
  /** Postgres and Redis persist as in production (see `StartOptions.durable`). */
  durable: boolean;
  web: ProductProcess;
  worker: ProductProcess;
  postgresPid?: number;
  redisPid?: number;
  /** Sandbox host processes (descendants of the worker) right now. */
  sandboxHosts(): number[];
  api<T = unknown>(method: string, url: string, body?: unknown): Promise<T>;
  stop(): Promise<void>;
}

function log(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}

function tail(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

async function stopProcess(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves with the first stdout line matching `pattern`; rejects if the process exits first. */
function waitForLine(proc: ProductProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => finish(new Error(`${proc.name} did not print ${pattern} within ${timeoutMs} ms\n${tail(proc.logFile)}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) finish();
    };
    const onExit = (code: number | null, signal: string | null) =>
      finish(new Error(`${proc.name} exited (${signal ?? code}) before it was ready\n${tail(proc.logFile)}`));
    const finish = (error?: Error) => {
      clearTimeout(timer);
      proc.child.stdout?.off('data', onData);
      proc.child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    proc.child.stdout?.on('data', onData);
    proc.child.once('exit', onExit);
  });
}

async function waitForHealth(baseUrl: string, proc: ProductProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode})\n${tail(proc.logFile)}`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      last = `${response.status} ${await response.text()}`;
      if (response.ok) return;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`GET /healthz not healthy within ${timeoutMs} ms (last: ${last})\n${tail(proc.logFile)}`);
}

function runCli(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface StartOptions {
  logLevel?: string;
  /** Extra environment for web and worker (e.g. SWITCHYARD_WORKER_CONCURRENCY). */
  env?: Record<string, string>;
  /** Extra Node flags for web and worker (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /**
   * How web and worker reach Postgres and Redis: `'socket'` (Unix sockets, how a single-host
   * deployment is set up) or `'tcp'` (127.0.0.1, as with stores on other machines).
   * Default: `BENCH_TRANSPORT` from the environment, else `'socket'`.
   */
  transport?: 'socket' | 'tcp';
  /**
   * `'two'`: `switchyard web` and `switchyard worker` as separate processes; `'one'`: `switchyard
   * start` (web + worker in one process, as `npm start` runs it). Default: `BENCH_TOPOLOGY`, else `'two'`.
   */
  topology?: 'one' | 'two';
  /**
   * Stores persist as in production: Postgres with fsync, Redis with an append-only file synced
   * every second. Default: `BENCH_DURABLE=1` from the environment, else off (as the tests run them).
   */
  durable?: boolean;
}

/** Starts everything; on any failure, stops whatever had started and rethrows. */
export async function startSystem(options: StartOptions = {}): Promise<System> {
  const topology = options.topology ?? (process.env.BENCH_TOPOLOGY === 'one' ? 'one' : 'two');
  const transport = options.transport ?? (process.env.BENCH_TRANSPORT === 'tcp' ? 'tcp' : 'socket');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-bench-'));
  const cleanups: (() => Promise<void>)[] = [async () => fs.rmSync(tmp, { recursive: true, force: true })];
  const processes: ProductProcess[] = [];
  const knownSandboxHosts = new Set<number>();
  let stopped = false;

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    // Web first (no new work), then the worker (drains), then the stores, then the temp dir.
    for (const proc of processes) {
      if (proc.name !== 'web') for (const pid of descendants(proc.pid)) knownSandboxHosts.add(pid);
    }
    for (const proc of [...processes.filter((p) => p.name === 'web'), ...processes.filter((p) => p.name !== 'web')]) {
      await stopProcess(proc.child, 15_000).catch(() => undefined);
    }
    // Sandbox hosts die with their worker; make sure, by pid.
    await new Promise((r) => setTimeout(r, 300));
    for (const pid of knownSandboxHosts) {
      if (alive(pid)) {
        const state = /^State:\s+(.*)$/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '?';
        log(`worker child ${pid} (${commandLine(pid).slice(0, 100)}; ${state}; parent ${parentPid(pid)}) outlived its worker; killing it`);
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => log(`cleanup failed: ${String(error)}`));
  };

  // Ctrl-C or a kill of the benchmark still takes everything down.
  const onSignal = (signal: NodeJS.Signals) => {
    log(`${signal}: stopping everything`);
    void stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  cleanups.unshift(async () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  });

  try {
    log('starting Postgres 15 and Redis');
    const durable = options.durable ?? process.env.BENCH_DURABLE === '1';
    const [pg, redis]: RunningService[] = await Promise.all([startPostgres({ durable, statements: process.env.BENCH_PG_STATEMENTS === '1' }), startRedis({ durable })]);
    cleanups.push(() => pg!.stop(), () => redis!.stop());
    const pgPort = new URL(pg!.url).port;
    const redisPort = new URL(redis!.url).port;
    const postgresPid = findProcesses((cmd) => /\/postgres(\s|$)/.test(cmd.split(' -D')[0] ?? '') && !cmd.startsWith('runuser') && cmd.includes(` -p ${pgPort} `))[0];
    const redisPid = findProcesses((cmd) => cmd.includes('redis-server') && (cmd.includes(`:${redisPort}`) || cmd.includes(`--port ${redisPort}`)))[0];

    const port = await freePort();
    const host = '127.0.0.1';
    const baseUrl = `http://${host}:${port}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DATABASE_URL: transport === 'tcp' ? pg!.url : pg!.socketUrl,
      REDIS_URL: transport === 'tcp' ? redis!.url : redis!.socketUrl,
      SWITCHYARD_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
      SWITCHYARD_DATA_DIR: path.join(tmp, 'data'),
      PORT: String(port),
      HOST: host,
      LOG_LEVEL: options.logLevel ?? 'warn',
      ...options.env,
    };
    delete env.NODE_OPTIONS;

    const launch = (name: string, args: string[]): ProductProcess => {
      const logFile = path.join(tmp, `${name}.log`);
      const out = fs.openSync(logFile, 'a');
      const child = spawn(process.execPath, [...nodeFlags, ...(options.nodeFlags ?? []), bin, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', out] });
      fs.closeSync(out);
      child.stdout!.on('data', (chunk: Buffer) => fs.appendFileSync(logFile, chunk));
      const proc = { name, child, pid: child.pid!, logFile };
      processes.push(proc);
      return proc;
    };

    // Web first: opening the runtime applies the migrations, so the worker never races it on them.
    log(topology === 'one' ? 'starting `switchyard start` (web + worker)' : 'starting `switchyard web`');
    const web = launch(topology === 'one' ? 'web+worker' : 'web', [topology === 'one' ? 'start' : 'web']);
    await waitForHealth(baseUrl, web, 90_000);
    log(`${topology === 'one' ? '' : 'starting `switchyard worker`; '}creating an API key with \`switchyard apikey create\``);
    const worker = topology === 'one' ? web : launch('worker', ['worker']);
    const [, keyRun] = await Promise.all([
      topology === 'one' ? undefined : waitForLine(worker, /worker running/i, 90_000),
      runCli(['apikey', 'create', '--name', 'bench'], env, 60_000),
    ]);
    const apiKey = keyRun.stdout.trim().split('\n').pop() ?? '';
    if (keyRun.code !== 0 || !apiKey) throw new Error(`switchyard apikey create failed (${keyRun.code}): ${keyRun.stderr}${keyRun.stdout}`);

    const api = async <T>(method: string, url: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${baseUrl}${url}`, {
        method,
        headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    };

    return {
      baseUrl, host, port, apiKey, databaseUrl: pg!.url, redisUrl: redis!.url, durable, web, worker, postgresPid, redisPid, api, stop,
      sandboxHosts: () => {
        const pids = descendants(worker.pid);
        for (const pid of pids) knownSandboxHosts.add(pid);
        return pids;
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
