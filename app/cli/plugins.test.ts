import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../runtime/testing/config.js';
import type { CliIo } from './io.js';
import { main } from './main.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = testConfig();
const env: NodeJS.ProcessEnv = {
  NODE_ENV: 'test', DATABASE_URL: config.databaseUrl, SWITCHYARD_DB_SCHEMA: config.databaseSchema, REDIS_URL: config.redisUrl,
  SWITCHYARD_REDIS_PREFIX: config.redisPrefix, SWITCHYARD_ENCRYPTION_KEY: config.encryptionKey, LOG_LEVEL: 'silent',
};
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-plugins-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: root, onStop: () => () => {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('switchyard plugin', () => {
  it('packs a folder, and installs a folder, a packed file and an npm tarball', async () => {
    const packedFile = path.join(work, 'weather.json');
    expect(await cli('plugin', 'pack', 'plugins/examples/weather', '--out', packedFile)).toMatchObject({ code: 0, out: packedFile });
    expect(JSON.parse(fs.readFileSync(packedFile, 'utf8')).manifest).toMatchObject({ name: 'acme-weather', version: '1.0.0' });

    expect(await cli('plugin', 'install', 'plugins/examples/text-utils', '--approve')).toMatchObject({ code: 0, out: expect.stringContaining('text-utils@1.0.0 installed and approved') });
    const fromFile = await cli('plugin', 'install', packedFile);
    expect(fromFile).toMatchObject({ code: 0, out: expect.stringContaining('hosts: api.acme-weather.test, 127.0.0.1; credential kinds: http-bearer'), err: 'approve with: switchyard plugin approve acme-weather 1.0.0' });
    expect(await cli('plugin', 'approve', 'acme-weather', '1.0.0')).toMatchObject({ code: 0 });

    // An npm package carries the packed file at its root; `npm pack` makes the same tarball layout.
    const pkg = path.join(work, 'package');
    fs.mkdirSync(pkg);
    expect((await cli('plugin', 'pack', 'runtime/plugins/fixtures/hostile', '--out', path.join(pkg, 'switchyard-plugin.json'))).code).toBe(0);
    execFileSync('tar', ['-czf', path.join(work, 'hostile-1.0.0.tgz'), '-C', work, 'package']);
    expect(await cli('plugin', 'install', path.join(work, 'hostile-1.0.0.tgz'))).toMatchObject({ code: 0, out: expect.stringContaining('hostile@1.0.0 installed') });

    const list = await cli('plugin', 'list');
    expect(list.out.split('\n').map((line) => line.split('\t').slice(0, 2).join(' '))).toEqual(['acme-weather@1.0.0 approved', 'hostile@1.0.0 NOT APPROVED', 'text-utils@1.0.0 approved']);
    expect(await cli('plugin', 'uninstall', 'hostile', '1.0.0')).toMatchObject({ code: 0, out: 'hostile@1.0.0 uninstalled' });
    // Three packs (esbuild) and eight CLI runs: about 10 s on a quiet machine, over 30 s with both cores busy.
  }, 180_000);

  it('installs an npm package spec through the npm client (a local file: spec here; a registry name works the same)', async () => {
    const pkg = path.join(work, 'npm-package');
    fs.mkdirSync(pkg);
    fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'switchyard-plugin-hostile', version: '1.0.0', files: ['switchyard-plugin.json'] }));
    expect((await cli('plugin', 'pack', 'runtime/plugins/fixtures/hostile', '--out', path.join(pkg, 'switchyard-plugin.json'))).code).toBe(0);
    expect(await cli('plugin', 'install', `file:${pkg}`)).toMatchObject({ code: 0, out: expect.stringContaining('hostile@1.0.0 installed') });
    expect(await cli('plugin', 'uninstall', 'hostile', '1.0.0')).toMatchObject({ code: 0 });
  }, 120_000);

  it('names the Node built-in a plugin imports', async () => {
    const dir = path.join(root, 'runtime/plugins/fixtures/.tmp-builtin');
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    try {
      fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'uses-fs', version: '1.0.0', switchyard: {} }));
      fs.writeFileSync(path.join(dir, 'src/index.ts'), `import { readFileSync } from 'node:fs';\nexport default { nodes: [readFileSync] };\n`);
      const result = await cli('plugin', 'pack', dir);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/"node:fs" \(imported by src\/index\.ts\) is a Node built-in/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explains usage mistakes', async () => {
    expect(await cli('plugin', 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unknown subcommand "plugin frobnicate"') });
  });
});
