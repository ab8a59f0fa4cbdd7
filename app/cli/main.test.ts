import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, type Runtime } from '../../runtime/index.js';
import { testConfig } from '../../runtime/testing/config.js';
import { freePort } from '../../runtime/testing/services.js';
import type { CliIo } from './io.js';
import { main } from './main.js';

/** A CLI session whose output is captured and whose stop signal the test sends. */
function session(env: NodeJS.ProcessEnv, cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const handlers = new Set<(signal: string) => void>();
  const io: CliIo = {
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    env,
    cwd,
    onStop(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
  return {
    io, out, err,
    stop: (signal = 'SIGTERM') => { for (const handler of [...handlers]) handler(signal); },
    listening: () => handlers.size > 0,
  };
}

const config = testConfig();
const env: NodeJS.ProcessEnv = {
  NODE_ENV: 'test',
  DATABASE_URL: config.databaseUrl,
  SWITCHYARD_DB_SCHEMA: config.databaseSchema,
  REDIS_URL: config.redisUrl,
  SWITCHYARD_REDIS_PREFIX: config.redisPrefix,
  SWITCHYARD_ENCRYPTION_KEY: config.encryptionKey,
  SWITCHYARD_LOCK_DURATION_MS: '5000',
  LOG_LEVEL: 'silent',
};
let dir: string;
let runtime: Runtime;

const document = (name: string, nodes: unknown[], edges: [string, string][]) => ({
  format: 'switchyard/flow@1',
  name,
  nodes: nodes.map((n, i) => ({ typeVersion: 1, position: { x: i * 200, y: 0 }, props: {}, ...(n as object) })),
  edges: edges.map(([source, target], i) => ({ id: `e${i}`, source, target })),
});

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sy-cli-'));
  env.SWITCHYARD_DATA_DIR = dir;
  runtime = await createRuntime(config);
  fs.writeFileSync(path.join(dir, 'greet.json'), JSON.stringify(document('Greet', [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'greet', type: 'core.set', props: { fields: [{ name: 'greeting', value: 'hello {{ $json.name }}' }] } },
  ], [['start', 'greet']])));
  fs.writeFileSync(path.join(dir, 'fail.json'), JSON.stringify(document('Fail', [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'halt', type: 'core.stop', props: { message: 'no thanks' } },
  ], [['start', 'halt']])));
  fs.writeFileSync(path.join(dir, 'broken.json'), '{ "format": ');
});

afterAll(async () => {
  await runtime?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('switchyard CLI', () => {
  it('prints help, and usage with exit 2 for bad arguments', async () => {
    const help = session(env, dir);
    expect(await main(['help'], help.io)).toBe(0);
    expect(help.out.join('\n')).toContain('Usage: switchyard');
    const bad = session(env, dir);
    expect(await main(['export'], bad.io)).toBe(2);
    expect(bad.err.join('\n')).toMatch(/^switchyard: missing the flow id[\s\S]*Usage:/);
  });

  it('reports user errors in one line without a stack trace', async () => {
    for (const argv of [['import', 'missing.json'], ['import', 'broken.json'], ['export', 'no-such-flow']]) {
      const s = session(env, dir);
      expect(await main(argv, s.io)).toBe(1);
      expect(s.err.join('\n')).toMatch(/^switchyard: /);
      expect(s.err.join('\n')).not.toMatch(/\n\s+at /);
    }
  });

  it('migrates, imports and exports a flow', async () => {
    const migrate = session(env, dir);
    expect(await main(['migrate'], migrate.io)).toBe(0);
    const imported = session(env, dir);
    expect(await main(['import', 'greet.json'], imported.io)).toBe(0);
    const flowId = imported.out[0]!;
    expect((await runtime.flows.get('default', flowId)).name).toBe('Greet');
    const exported = session(env, dir);
    expect(await main(['export', flowId], exported.io)).toBe(0);
    expect(JSON.parse(exported.out.join('\n'))).toMatchObject({ format: 'switchyard/flow@1', name: 'Greet', credentials: {} });
  });

  it('creates an API key that authenticates', async () => {
    const s = session(env, dir);
    expect(await main(['apikey', 'create', '--name', 'deploy'], s.io)).toBe(0);
    const key = s.out[0]!;
    expect(key).toMatch(/^sy_/);
    expect(await runtime.auth.authenticateApiKey(key)).toMatchObject({ workspaceId: 'default' });
  });

  it('runs a document once, printing each step, and removes the temporary flow', async () => {
    const before = (await runtime.flows.list('default')).length;
    const s = session(env, dir);
    expect(await main(['run', 'greet.json', '--input', '{"name":"Ada"}'], s.io)).toBe(0);
    expect(s.out).toHaveLength(2);
    expect(s.out[0]).toMatch(/^✓ start core\.manual-trigger succeeded \d+ms \{"main":\{"name":"Ada"\}\}$/);
    expect(s.out[1]).toMatch(/^✓ greet core\.set succeeded \d+ms .*"greeting":"hello Ada"/);
    expect((await runtime.flows.list('default')).length).toBe(before);
  });

  it('runs the export of an active webhook flow once, leaving the active flow its webhook', async () => {
    fs.writeFileSync(path.join(dir, 'hook.json'), JSON.stringify(document('Hook', [
      { id: 'in', type: 'core.webhook', props: { path: 'cli/orders', method: 'POST', respond: 'immediately' } },
      { id: 'greet', type: 'core.set', props: { fields: [{ name: 'greeting', value: 'hello {{ $json.body.name }}' }] } },
    ], [['in', 'greet']])));
    const imported = session(env, dir);
    expect(await main(['import', 'hook.json'], imported.io)).toBe(0);
    const flowId = imported.out[0]!;
    await runtime.flows.activate('default', flowId);
    const exported = session(env, dir);
    expect(await main(['export', flowId], exported.io)).toBe(0);
    fs.writeFileSync(path.join(dir, 'hook-export.json'), exported.out.join('\n'));

    const run = session(env, dir);
    expect(await main(['run', 'hook-export.json', '--input', '{"body":{"name":"Ada"}}'], run.io)).toBe(0);
    expect(run.err.join('\n')).not.toContain('already used');
    expect(run.out[1]).toMatch(/^✓ greet core\.set succeeded \d+ms .*"greeting":"hello Ada"/);
    // The temporary copy is gone and the active flow still answers on its path.
    expect((await runtime.flows.get('default', flowId)).active).toBe(true);
    const call = await runtime.webhooks.handle({
      clientIp: '127.0.0.1', method: 'POST', path: 'cli/orders', headers: { 'content-type': 'application/json' }, query: {},
      rawBody: Buffer.from('{"name":"Grace"}'),
    });
    expect(call).toMatchObject({ status: 202, body: { executionId: expect.any(String) } });
  });

  it('exits 1 when the execution fails', async () => {
    const s = session(env, dir);
    expect(await main(['run', 'fail.json'], s.io)).toBe(1);
    expect(s.out.some((line) => line.startsWith('✗ halt core.stop failed'))).toBe(true);
    expect(s.err.join('\n')).toContain('no thanks');
  });

  it('serves HTTP with `web` and stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const s = session(env, dir);
    const exit = main(['web', '--port', String(port)], s.io);
    await expect.poll(() => s.out.join('\n'), { timeout: 20_000 }).toContain(`listening on http://127.0.0.1:${port}`);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    s.stop('SIGTERM');
    expect(await exit).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    expect(s.listening()).toBe(false);
  });

  it('runs a worker until SIGINT', async () => {
    const s = session(env, dir);
    const exit = main(['worker', '--concurrency', '2'], s.io);
    await expect.poll(() => s.out.join('\n'), { timeout: 20_000 }).toContain('worker running (concurrency 2)');
    s.stop('SIGINT');
    expect(await exit).toBe(0);
  });
});
