import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(true); });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function findRedisServer(): string | undefined {
  for (const candidate of ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/opt/homebrew/bin/redis-server']) {
    if (fs.existsSync(candidate)) return candidate;
  }
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  return which.status === 0 ? which.stdout.trim() || undefined : undefined;
}

export interface RunningService {
  url: string;
  /**
   * The same server over a Unix socket: what a single-host deployment uses, since a loopback TCP
   * write costs the sender the whole network stack of both ends (docs/decisions/011).
   */
  socketUrl: string;
  /** The server process, when this harness started it (a test may pause it to play an outage). */
  pid?: number;
  stop(): Promise<void>;
}

/** How a throwaway store treats durability. */
export interface ServiceOptions {
  /**
   * Persist as production does (Postgres fsync on; Redis AOF with fsync every second, as in
   * docker-compose.yml) instead of skipping it, which tests do for speed. Default: false.
   */
  durable?: boolean;
  /** Postgres only: load pg_stat_statements, so a benchmark can count statements per message. Default: false. */
  statements?: boolean;
}

/** A throwaway redis-server on a free port; nothing persisted unless `durable`. */
export async function startRedis(options: ServiceOptions = {}): Promise<RunningService> {
  const bin = findRedisServer();
  if (!bin) throw new Error('redis-server is not installed: apt-get install -y redis-server');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-redis-'));
  const socket = path.join(dir, 'redis.sock');
  const child = spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--unixsocket', socket, '--unixsocketperm', '700',
    '--save', '', '--dir', dir, '--maxmemory-policy', 'noeviction',
    ...(options.durable ? ['--appendonly', 'yes', '--appendfsync', 'everysec'] : ['--appendonly', 'no'])], { stdio: 'ignore' });
  await waitForPort(port, 10_000);
  return {
    url: `redis://127.0.0.1:${port}`,
    socketUrl: socket,
    ...(child.pid ? { pid: child.pid } : {}),
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function findPgBin(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : undefined;
}

/** A throwaway Postgres cluster (initdb + postgres) on a free port, removed on stop; fsync off unless `durable`. */
export async function startPostgres(options: ServiceOptions = {}): Promise<RunningService> {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL server binaries not found: apt-get install -y postgresql (or set TEST_DATABASE_URL)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-pg-'));
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: hand the directory to the postgres user and run as it.
  const run = (cmd: string, args: string[]) => {
    const full = asRoot ? ['-u', 'postgres', '--', cmd, ...args] : args;
    const result = spawnSync(asRoot ? 'runuser' : cmd, full, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${result.stderr || result.stdout}`);
  };
  if (asRoot) spawnSync('chown', ['-R', 'postgres', dir]);
  run(path.join(bin, 'initdb'), ['-D', path.join(dir, 'data'), '--auth=trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
  const port = await freePort();
  const args = ['-D', path.join(dir, 'data'), '-c', 'listen_addresses=127.0.0.1', '-p', String(port), '-k', dir,
    '-c', `fsync=${options.durable ? 'on' : 'off'}`, '-c', 'max_connections=300', '-c', 'shared_buffers=128MB',
    // Benchmarks count statements per message with it (BENCH_PG_STATEMENTS=1 in bench/channels.ts).
    ...(options.statements ? ['-c', 'shared_preload_libraries=pg_stat_statements', '-c', 'pg_stat_statements.track=all', '-c', 'pg_stat_statements.track_planning=on'] : [])];
  const child = asRoot
    ? spawn('runuser', ['-u', 'postgres', '--', path.join(bin, 'postgres'), ...args], { stdio: 'ignore' })
    : spawn(path.join(bin, 'postgres'), args, { stdio: 'ignore' });
  await waitForPort(port, 20_000);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    socketUrl: `postgres://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); }, 5000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}
