import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { buildSdk } from './build.mjs';

const run = promisify(execFile);
const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const root = path.resolve(sdkDir, '..', '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-sdk-build-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** What a module imports: `from '…'` and `import('…')` specifiers. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^import\s+)['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

/**
 * The imports of `file` that leave the package: anything but a sibling module (`./x.js`, which is
 * x.ts, x.js or x.d.ts beside it), a Node built-in, or a peer (zod; esbuild for the packer).
 */
function foreign(file: string): string[] {
  const ext = file.endsWith('.d.ts') ? '.d.ts' : path.extname(file);
  return importsOf(file).filter((spec) => {
    if (spec.startsWith('node:') || spec === 'zod' || spec === 'esbuild') return false;
    return !(/^\.\/[\w-]+\.js$/.test(spec) && fs.existsSync(path.join(path.dirname(file), spec.replace(/\.js$/, ext))));
  });
}

it('ships nothing from outside plugins/sdk, and its build runs in plain Node with only its peers beside it', async () => {
  const sources = fs.readdirSync(path.join(sdkDir, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
  for (const file of sources) expect(foreign(path.join(sdkDir, 'src', file)), file).toEqual([]);

  // Laid out as npm installs it: node_modules/@switchyard/sdk next to zod and esbuild, nothing else.
  const pkg = path.join(work, 'node_modules', '@switchyard', 'sdk');
  fs.mkdirSync(pkg, { recursive: true });
  fs.copyFileSync(path.join(sdkDir, 'package.json'), path.join(pkg, 'package.json'));
  for (const peer of ['zod', 'esbuild']) fs.symlinkSync(path.join(root, 'node_modules', peer), path.join(work, 'node_modules', peer));
  const dist = await buildSdk({ sdkDir, outDir: pkg });
  const built = fs.readdirSync(dist).sort();
  for (const file of sources) {
    const base = file.replace(/\.ts$/, '');
    expect(built).toEqual(expect.arrayContaining([`${base}.js`, `${base}.d.ts`]));
    expect(foreign(path.join(dist, `${base}.js`)), `${base}.js`).toEqual([]);
    expect(foreign(path.join(dist, `${base}.d.ts`)), `${base}.d.ts`).toEqual([]);
  }

  // No loader, no export condition: what a plugin's Node (or its vitest) gets from the package.
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', `
    const sdk = await import('@switchyard/sdk');
    const manifest = await import('@switchyard/sdk/manifest');
    const pack = await import('@switchyard/sdk/pack');
    console.log(JSON.stringify([typeof sdk.defineNode, typeof sdk.NonRetryableError, manifest.PLUGIN_FORMAT, typeof pack.packPlugin, pack.PACKED_FILE]));
  `], { cwd: work, env: { NODE_ENV: 'test', PATH: process.env.PATH } });
  expect(JSON.parse(stdout)).toEqual(['function', 'function', 'switchyard/plugin@1', 'function', 'switchyard-plugin.json']);
}, 120_000);
