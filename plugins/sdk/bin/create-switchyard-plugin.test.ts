import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = fileURLToPath(new URL('./create-switchyard-plugin.mjs', import.meta.url));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'create-switchyard-plugin-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

it('in a Switchyard installation, is `switchyard plugin new`: a plugin wired to the SDK and harness the installation built', async () => {
  const dir = path.join(work, 'hello-world');
  const created = await run(process.execPath, [bin, 'Hello World', '--dir', dir], { cwd: work });
  expect(created.stdout).toContain(`created hello-world in ${dir}`);
  expect(created.stdout).toContain(`cd ${dir}\n  npm install\n  npm test`);
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  expect(pkg).toMatchObject({ name: 'hello-world', scripts: { test: 'vitest run', pack: 'switchyard-plugin pack' } });
  for (const name of ['@switchyard/sdk', '@switchyard/plugin-testing']) {
    expect(pkg.devDependencies[name]).toMatch(/^file:\//);
    expect(fs.existsSync(pkg.devDependencies[name].slice('file:'.length))).toBe(true);
  }
  expect(fs.readFileSync(path.join(dir, 'src/index.test.ts'), 'utf8')).toContain(`from '@switchyard/plugin-testing'`);
  await expect(run(process.execPath, [bin, 'hello-world', '--dir', dir])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('is not empty') });
}, 180_000);

it('outside an installation (the SDK installed from its tarball), says where plugins come from and writes nothing', async () => {
  const copy = path.join(work, 'elsewhere', 'node_modules', '@switchyard', 'sdk', 'bin');
  fs.mkdirSync(copy, { recursive: true });
  fs.copyFileSync(bin, path.join(copy, 'create-switchyard-plugin.mjs'));
  const cwd = path.join(work, 'elsewhere');
  const failed = run(process.execPath, [path.join(copy, 'create-switchyard-plugin.mjs'), 'hello-x'], { cwd });
  await expect(failed).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('node bin/switchyard.mjs plugin new <name> --dir <where>') });
  expect(fs.readdirSync(cwd)).toEqual(['node_modules']);
});
