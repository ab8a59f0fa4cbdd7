import { startTelegramFake, type TelegramFake } from '../nodes/channels/telegram/fake';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { switchyardNodeArgs } from '../scripts/lib/server-build.mjs';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The running product one Playwright worker talks to. */
export interface SwitchyardApp {
  baseURL: string;
  dataDir: string;
  owner: { email: string; password: string };
  /** Everything the process printed so far (attached to failing tests' reports). */
  output(): string;
}

/** Options for {@link startSwitchyard}. */
export interface StartOptions {
  /** Extra environment. Default: none. */
  env?: Record<string, string>;
  /** How long to wait for `/healthz`: the first start migrates PGlite and starts Redis. Default: 90 000 ms. */
  readyTimeoutMs?: number;
}

/**
 * Starts `switchyard start` (web + worker) in a fresh data dir with embedded PGlite and a supervised
 * redis-server, on a free port, and waits until `/healthz` answers 200.
 */
export async function startSwitchyard(options: StartOptions = {}): Promise<SwitchyardApp & { stop(): Promise<void> }> {
  ensureBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-e2e-'));
  const port = await freePort();
  const owner = { email: 'owner@example.com', password: 'e2e-owner-password' };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    SWITCHYARD_NODE_FLAGS: '1',
    SWITCHYARD_DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    SWITCHYARD_OWNER_EMAIL: owner.email,
    SWITCHYARD_OWNER_PASSWORD: owner.password,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ...options.env,
  };
  // The embedded default is what a user gets from `npm start`; real servers are for vitest.
  delete env.DATABASE_URL;
  delete env.REDIS_URL;

  const child = spawn(process.execPath, [...switchyardNodeArgs(), 'start'], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => { output = (output + chunk.toString('utf8')).slice(-200_000); };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);

  const baseURL = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(baseURL, child, options.readyTimeoutMs ?? 90_000);
  } catch (error) {
    await stopChild(child);
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n--- switchyard output ---\n${output.slice(-5_000)}`);
  }
  return {
    baseURL,
    dataDir,
    owner,
    output: () => output,
    async stop() {
      await stopChild(child);
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** `test` with a worker-scoped product and `baseURL` pointing at it. */
export const test = base.extend<{ baseURL: string }, { app: SwitchyardApp }>({
  app: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
    async ({}, use) => {
      const app = await startSwitchyard();
      try {
        await use(app);
      } finally {
        await app.stop();
      }
    },
    { scope: 'worker', timeout: 120_000 },
  ],
  baseURL: async ({ app }, use, testInfo) => {
    await use(app.baseURL);
    if (testInfo.status !== testInfo.expectedStatus) {
      await testInfo.attach('switchyard-output', { body: app.output().slice(-20_000), contentType: 'text/plain' });
    }
  },
});

/**
 * A `test` whose product may call 127.0.0.1 (`SWITCHYARD_OUTBOUND_ALLOW`), so flows, "Test
 * connection" and plugins reach the local fakes a spec talks to. Call it once per spec file: each
 * call defines its own worker fixture, so every file gets a product of its own (specs never see each
 * other's credentials, flows or conversations).
 */
export function localTest() {
  return test.extend<object, { app: SwitchyardApp }>({
    app: [
      // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
      async ({}, use) => {
        const app = await startSwitchyard({ env: { SWITCHYARD_OUTBOUND_ALLOW: '127.0.0.1' } });
        try {
          await use(app);
        } finally {
          await app.stop();
        }
      },
      { scope: 'worker', timeout: 120_000 },
    ],
  });
}

/** {@link localTest} with the Telegram Bot API fake, one per spec file. */
export function telegramTest() {
  return localTest().extend<object, { telegram: TelegramFake }>({
    telegram: [
      // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form.
      async ({}, use) => {
        const fake = await startTelegramFake();
        try {
          await use(fake);
        } finally {
          await fake.close();
        }
      },
      { scope: 'worker' },
    ],
  });
}

export { expect };

function ensureBuilt(): void {
  // `npm test` builds first; this covers a bare `npx playwright test` on a fresh checkout.
  if (fs.existsSync(path.join(root, 'build', 'server', 'index.js'))) return;
  const result = spawnSync(path.join(root, 'node_modules', '.bin', 'remix'), ['vite:build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('remix vite:build failed');
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function waitForHealth(baseURL: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`switchyard start exited (${child.exitCode ?? child.signalCode}) before /healthz was ready`);
    }
    try {
      const res = await fetch(`${baseURL}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${baseURL}/healthz not ok within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => { clearTimeout(timer); resolve(); });
    child.kill('SIGTERM');
  });
}
