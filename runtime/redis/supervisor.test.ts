import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisCommandConnection } from './connection.js';
import { startLocalRedis, type LocalRedis } from './supervisor.js';

const dirs: string[] = [];
const running: LocalRedis[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-redis-sup-'));
  dirs.push(dir);
  return dir;
}

async function started(dataDir: string, port?: number): Promise<LocalRedis> {
  const redis = await startLocalRedis({ dataDir, install: false, log: () => {}, ...(port ? { port } : {}) });
  running.push(redis);
  return redis;
}

afterAll(async () => {
  for (const redis of running) await redis.stop();
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('startLocalRedis', () => {
  it('starts redis-server on 127.0.0.1 with noeviction and AOF under <dataDir>/redis, and stops it', async () => {
    const dataDir = tempDir();
    const redis = await started(dataDir);
    // Reached over its Unix socket under the data dir, and on 127.0.0.1 as well.
    expect(redis.url).toBe(path.join(dataDir, 'redis', 'redis.sock'));
    expect(redis.port).toBeGreaterThanOrEqual(6390);
    const overTcp = createRedisCommandConnection(`redis://127.0.0.1:${redis.port}`);
    try {
      expect(await overTcp.ping()).toBe('PONG');
    } finally {
      overTcp.disconnect();
    }

    const client = createRedisCommandConnection(redis.url);
    try {
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await client.config('GET', 'dir')).toEqual(['dir', fs.realpathSync(path.join(dataDir, 'redis'))]);
    } finally {
      client.disconnect();
    }

    await redis.stop();
    await redis.stop(); // idempotent
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(redis.port, '127.0.0.1');
      socket.once('connect', () => { socket.destroy(); resolve(false); });
      socket.once('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });

  it('keeps data across a restart on the same data dir', async () => {
    const dataDir = tempDir();
    const first = await started(dataDir);
    const writer = createRedisCommandConnection(first.url);
    await writer.set('sy:survives', 'yes');
    await writer.rpush('sy:list', 'a', 'b');
    writer.disconnect();
    await first.stop();

    const second = await started(dataDir);
    const reader = createRedisCommandConnection(second.url);
    try {
      expect(await reader.get('sy:survives')).toBe('yes');
      expect(await reader.lrange('sy:list', 0, -1)).toEqual(['a', 'b']);
    } finally {
      reader.disconnect();
      await second.stop();
    }
  });

  it('skips ports that are taken', async () => {
    const a = await started(tempDir());
    const b = await started(tempDir());
    expect(b.port).not.toBe(a.port);
    await Promise.all([a.stop(), b.stop()]);
  });

  it('refuses a data dir that a live process owns, and takes over once that process was killed', async () => {
    const dataDir = tempDir();
    const inThisProcess = await started(dataDir);
    await expect(startLocalRedis({ dataDir, install: false, log: () => {} })).rejects.toThrow(/already running in this process/);
    await inThisProcess.stop();

    // Another Node process owns the dir: refused, and its redis-server is left alone.
    const script = path.join(dataDir, 'owner.mjs');
    const supervisor = fileURLToPath(new URL('./supervisor.ts', import.meta.url));
    fs.writeFileSync(script, `const { startLocalRedis } = await import(${JSON.stringify(supervisor)});
const r = await startLocalRedis({ dataDir: ${JSON.stringify(dataDir)}, install: false, log: () => {} });
console.log(r.port); setInterval(() => {}, 1000);`);
    const owner = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const ownerPort = await new Promise<number>((resolve, reject) => {
      owner.stdout.once('data', (chunk: Buffer) => resolve(Number.parseInt(chunk.toString(), 10)));
      owner.once('exit', (code) => reject(new Error(`owner exited with ${code}`)));
    });
    try {
      await expect(startLocalRedis({ dataDir, install: false, log: () => {} })).rejects.toThrow(/another Switchyard process \(pid \d+\) is using the data dir/);
      const client = createRedisCommandConnection(`redis://127.0.0.1:${ownerPort}`);
      expect(await client.ping()).toBe('PONG');
      client.disconnect();
    } finally {
      // kill -9: no exit handlers run; the watchdog must stop the orphaned redis-server by itself.
      const gone = new Promise((resolve) => owner.once('exit', resolve));
      owner.kill('SIGKILL');
      // Wait until the process is really gone (kill only sends the signal) before taking over.
      await gone;
    }
    const takeover = await started(dataDir);
    const client = createRedisCommandConnection(takeover.url);
    expect(await client.ping()).toBe('PONG');
    client.disconnect();
    await takeover.stop();
  });

  it('says how to get redis-server when it is missing', async () => {
    await expect(startLocalRedis({ dataDir: tempDir(), redisServer: '/nonexistent/redis-server', log: () => {} }))
      .rejects.toThrow(/apt-get install -y redis-server[\s\S]*brew install redis[\s\S]*REDIS_URL=redis:\/\/127\.0\.0\.1:6379/);
  });
});
