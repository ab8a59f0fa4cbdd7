import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ensureRedisServer, findRedisServer, REDIS_MISSING_HELP } from './binary.js';

/** Options for {@link startLocalRedis}. */
export interface LocalRedisOptions {
  /** Switchyard data dir; Redis keeps its AOF and log under `<dataDir>/redis`. */
  dataDir: string;
  /** Port on 127.0.0.1. Default: the first free port from 6390 up. */
  port?: number;
  /** Install redis-server with apt when missing and running as root on Debian/Ubuntu. Default: true. */
  install?: boolean;
  /** Path of redis-server. Default: found on PATH / well-known locations. */
  redisServer?: string;
  /** How long to wait for the first PONG (AOF replay included). Default: 30 000 ms. */
  readyTimeoutMs?: number;
  /** Progress lines (install, start). Default: stderr. */
  log?: (line: string) => void;
}

export interface LocalRedis {
  /**
   * What to connect with: the Unix socket `<dataDir>/redis/redis.sock` (cheaper than loopback TCP,
   * decision 011), or `redis://127.0.0.1:<port>` when that path is too long for a socket.
   */
  url: string;
  /** The TCP port it also listens on (127.0.0.1), e.g. for `redis-cli -p`. */
  port: number;
  /** The Unix socket, when it has one. */
  socketPath?: string;
  /** Graceful shutdown (Redis flushes its AOF); idempotent. */
  stop(): Promise<void>;
}

const FIRST_PORT = 6390;

/**
 * Wrapper that runs redis-server and kills it when the Node parent dies, even by SIGKILL: Node has
 * no PR_SET_PDEATHSIG, so a shell polls the parent pid once a second. `$0` is redis-server, `$@` its
 * arguments. `sleep & wait` keeps the shell interruptible so stop() takes effect at once.
 */
const WATCHDOG = `"$0" "$@" &
r=$!
trap 'kill -TERM $r 2>/dev/null; wait $r; exit $?' TERM INT HUP
while kill -0 "$SY_PARENT_PID" 2>/dev/null && kill -0 $r 2>/dev/null; do sleep 1 & wait $!; done
kill -TERM $r 2>/dev/null
wait $r`;

/**
 * Starts a private redis-server for the embedded default (no `REDIS_URL`): bound to 127.0.0.1,
 * append-only persistence and `noeviction` (BullMQ must never lose keys to eviction), data under
 * `<dataDir>/redis`. Resolves once it answers PING.
 */
export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  const log = options.log ?? ((line: string) => console.error(line));
  const bin = options.redisServer ?? (options.install === false ? findRedisServer() : ensureRedisServer(log));
  if (!bin || !fs.existsSync(bin)) throw new Error(REDIS_MISSING_HELP);

  const dir = path.join(path.resolve(options.dataDir), 'redis');
  fs.mkdirSync(dir, { recursive: true });
  const pidFile = path.join(dir, 'redis.pid');
  const logFile = path.join(dir, 'redis.log');
  const ownerFile = path.join(dir, 'owner.json');
  claim(dir, ownerFile);
  try {
    await killStale(pidFile);
  } catch (error) {
    release(dir, ownerFile);
    throw error;
  }

  const port = options.port ?? (await firstFreePort(FIRST_PORT));
  // sun_path holds 107 bytes on Linux (103 on macOS); a deeper data dir falls back to TCP only.
  const socket = path.join(dir, 'redis.sock');
  const socketPath = Buffer.byteLength(socket) < 100 ? socket : undefined;
  const args = [
    '--bind', '127.0.0.1', '--port', String(port), '--dir', dir,
    ...(socketPath ? ['--unixsocket', socketPath, '--unixsocketperm', '700'] : []),
    '--appendonly', 'yes', '--appendfsync', 'everysec', '--maxmemory-policy', 'noeviction',
    '--daemonize', 'no', '--pidfile', pidFile, '--logfile', logFile, '--protected-mode', 'yes',
  ];
  // Own process group: a terminal Ctrl-C reaches the app, which closes its workers before Redis goes.
  const child = spawn('sh', ['-c', WATCHDOG, bin, ...args], {
    stdio: 'ignore',
    detached: true,
    env: { ...process.env, SY_PARENT_PID: String(process.pid) },
  });
  child.unref();
  const onExit = () => { try { child.kill('SIGTERM'); } catch { /* already gone */ } };
  process.once('exit', onExit);

  try {
    await waitForPong(port, child, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    process.removeListener('exit', onExit);
    await stopChild(child, pidFile);
    release(dir, ownerFile);
    throw new Error(`${(error as Error).message}\n${tail(logFile)}`);
  }
  fs.writeFileSync(ownerFile, JSON.stringify({ pid: process.pid, port }));

  let stopping: Promise<void> | undefined;
  return {
    url: socketPath ?? `redis://127.0.0.1:${port}`,
    port,
    ...(socketPath ? { socketPath } : {}),
    stop() {
      stopping ??= (async () => {
        process.removeListener('exit', onExit);
        await stopChild(child, pidFile);
        release(dir, ownerFile);
      })();
      return stopping;
    },
  };
}

/** Data dirs this process is running a redis-server for. */
const claimed = new Set<string>();

/**
 * One owner per data dir. A second Switchyard process on the same embedded data dir must not take
 * over (or kill) the first one's Redis — and its embedded Postgres cannot be shared either — so it
 * is refused with a message naming the owner. An owner that died leaves a stale claim, which is
 * ignored (its watchdog has already stopped, or is about to stop, its redis-server).
 */
function claim(dir: string, ownerFile: string): void {
  if (claimed.has(dir)) throw new Error(`a local redis-server for ${dir} is already running in this process`);
  let owner: { pid?: unknown; port?: unknown } | undefined;
  try {
    owner = JSON.parse(fs.readFileSync(ownerFile, 'utf8')) as { pid?: unknown; port?: unknown };
  } catch {
    owner = undefined;
  }
  const pid = typeof owner?.pid === 'number' ? owner.pid : undefined;
  if (pid !== undefined && pid !== process.pid && alive(pid) && isNode(pid)) {
    throw new Error(
      `another Switchyard process (pid ${pid}) is using the data dir ${path.dirname(dir)} ` +
        `(its redis-server listens on port ${String(owner?.port)}). The embedded database and Redis belong to one ` +
        'process: stop it first, use its HTTP API, or set SWITCHYARD_DATA_DIR to another directory.',
    );
  }
  claimed.add(dir);
}

function release(dir: string, ownerFile: string): void {
  claimed.delete(dir);
  fs.rmSync(ownerFile, { force: true });
}

function isNode(pid: number): boolean {
  try {
    return /node|tsx/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return process.platform !== 'linux'; // no /proc: trust the pid
  }
}

/** A redis-server left behind by a parent that died before its watchdog noticed would hold the AOF. */
async function killStale(pidFile: string): Promise<void> {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
  } catch {
    return;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isRedis(pid)) return;
  try { process.kill(pid, 'SIGTERM'); } catch { return; }
  const deadline = Date.now() + 10_000;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) try { process.kill(pid, 'SIGKILL'); } catch { /* raced */ }
}

function isRedis(pid: number): boolean {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('redis-server');
  } catch {
    // No /proc (macOS): trust the pid file only if the process exists.
    return alive(pid) && process.platform !== 'linux';
  }
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function firstFreePort(from: number): Promise<number> {
  for (let port = from; port < from + 200; port++) if (await canListen(port)) return port;
  throw new Error(`no free port in ${from}–${from + 199} on 127.0.0.1 for redis-server`);
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Raw PING so readiness needs no client and understands `-LOADING` while the AOF replays. */
async function waitForPong(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (code ${child.exitCode}) before it was ready on port ${port}`);
    if (await ping(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not answer PING on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await sleep(50);
  }
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let reply = '';
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
    socket.once('error', () => done(false));
  });
}

async function stopChild(child: ChildProcess, pidFile: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        killPidFile(pidFile);
      }, 10_000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    });
  }
  // The shell waits for redis, so redis is gone; the pid file is only stale now.
  fs.rmSync(pidFile, { force: true });
}

function killPidFile(pidFile: string): void {
  try {
    const pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8'), 10);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch { /* nothing to kill */ }
}

function tail(file: string, lines = 15): string {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
