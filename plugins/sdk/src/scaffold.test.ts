import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { packPlugin } from './pack.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const bin = fileURLToPath(new URL('../bin/create-switchyard-plugin.mjs', import.meta.url));
// Inside the repository so the scaffold resolves @switchyard/sdk and zod as an installed package would.
const dir = fileURLToPath(new URL(`../../.scaffold-${randomBytes(4).toString('hex')}`, import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('scaffolds a plugin whose test passes and which packs', async () => {
  const created = await run(process.execPath, [bin, dir, '--name', 'hello-world']);
  expect(created.stdout).toContain('created hello-world');
  const tested = await run(`${root}/node_modules/.bin/vitest`, ['run', '--root', dir], { cwd: dir, env: { ...process.env, CI: '1' } });
  expect(tested.stdout).toMatch(/1 passed/);
  const packed = await packPlugin(dir);
  expect(packed.manifest).toMatchObject({ name: 'hello-world', version: '0.1.0', nodes: [{ type: 'hello-world.greet', version: 1 }] });
  await expect(run(process.execPath, [bin, dir])).rejects.toMatchObject({ stderr: expect.stringContaining('is not empty') });
}, 120_000);
