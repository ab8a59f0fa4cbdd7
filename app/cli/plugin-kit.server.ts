import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CliError } from './commands.server.js';

/**
 * The plugin kit: what this Switchyard installation hands plugin authors until `@switchyard/sdk` is
 * on npm (decision 028), built on demand under `build/plugin-kit/<version>-<sources hash>/`:
 *
 *   switchyard-sdk-<version>.tgz                 `npm pack` of the compiled SDK: a plugin depends on it
 *   node_modules/@switchyard/sdk/                the same package, unpacked, for the harness below
 *   node_modules/@switchyard/plugin-testing/     the test harness (the runtime's sandbox and plugin
 *                                                proxy); a plugin links to it with `file:`
 *
 * The harness stays inside the installation so it resolves isolated-vm, zod and esbuild from the
 * installation's node_modules: a plugin never compiles isolated-vm of its own. A kit never changes
 * once built (its folder is named by the hash of its sources), so a plugin made from it keeps
 * working after the installation changes; the newest {@link KEEP_KITS} kits are kept.
 */

const run = promisify(execFile);

/** Kits kept in build/plugin-kit besides the one just built (plugins made from older ones need `plugin new` again). */
export const KEEP_KITS = 5;

/** What the kit sources are: the SDK, the harness, and the runtime it bundles (tests and fixtures aside). */
const SOURCES = ['plugins/sdk/package.json', 'plugins/sdk/README.md', 'plugins/sdk/bin', 'plugins/sdk/src', 'plugins/sdk/scripts',
  'plugins/testing/package.json', 'plugins/testing/src', 'plugins/testing/scripts', 'runtime'];

export interface PluginKit {
  /** This kit's folder. */
  dir: string;
  /** The SDK version the kit carries. */
  version: string;
  /** The SDK tarball (`@switchyard/sdk: file:<sdkTarball>`). */
  sdkTarball: string;
  /** The harness package folder (`@switchyard/plugin-testing: file:<testingDir>`). */
  testingDir: string;
}

/** The folder of this Switchyard installation (the checkout): the nearest package.json named "switchyard" above this module. */
export function installationRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file) && (JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string }).name === 'switchyard') return dir;
    if (path.dirname(dir) === dir) throw new CliError(`cannot find the Switchyard installation above ${from}`);
  }
}

function listFiles(root: string, relative: string): string[] {
  const full = path.join(root, relative);
  if (!fs.existsSync(full)) return [];
  if (fs.statSync(full).isFile()) return [relative];
  return fs.readdirSync(full, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return ['node_modules', 'fixtures', 'dist'].includes(entry.name) ? [] : listFiles(root, path.join(relative, entry.name));
    return entry.name.endsWith('.test.ts') ? [] : [path.join(relative, entry.name)];
  });
}

/** sha256 over the kit's sources (paths and contents), so a kit is rebuilt exactly when they change. */
function sourcesHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of SOURCES.flatMap((s) => listFiles(root, s)).sort()) hash.update(`${file}\0`).update(fs.readFileSync(path.join(root, file))).update('\0');
  return hash.digest('hex').slice(0, 12);
}

function layout(dir: string, version: string): PluginKit {
  return {
    dir, version,
    sdkTarball: path.join(dir, `switchyard-sdk-${version}.tgz`),
    testingDir: path.join(dir, 'node_modules', '@switchyard', 'plugin-testing'),
  };
}

async function buildKit(root: string, work: string, version: string): Promise<void> {
  // Loaded from the installation at run time (never bundled into build/cli), and only here: they
  // need esbuild and typescript, which the rest of the CLI does not.
  const [{ buildSdk }, { buildPluginTesting }] = await Promise.all([
    import(pathToFileURL(path.join(root, 'plugins/sdk/scripts/build.mjs')).href) as Promise<typeof import('../../plugins/sdk/scripts/build.mjs')>,
    import(pathToFileURL(path.join(root, 'plugins/testing/scripts/build.mjs')).href) as Promise<typeof import('../../plugins/testing/scripts/build.mjs')>,
  ]);
  const sdkDir = path.join(root, 'plugins', 'sdk');
  const sdk = path.join(work, 'node_modules', '@switchyard', 'sdk');
  fs.mkdirSync(sdk, { recursive: true });
  for (const file of ['package.json', 'README.md', 'bin', 'src']) {
    fs.cpSync(path.join(sdkDir, file), path.join(sdk, file), { recursive: true, filter: (from) => !from.endsWith('.test.ts') });
  }
  await buildSdk({ sdkDir, outDir: sdk }).catch((error: unknown) => {
    const missing = (error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND';
    throw new CliError(missing
      ? `cannot build the plugin SDK: ${(error as Error).message.split('\n')[0]} (it needs the installation's dev dependencies: npm ci)`
      : `cannot build the plugin SDK: ${error instanceof Error ? error.message : String(error)}`);
  });
  // The tarball a plugin installs: npm's own packing (files, bin modes), without re-running prepack.
  await run('npm', ['pack', sdk, '--ignore-scripts', '--pack-destination', work, '--silent'], { cwd: work }).catch((error: unknown) => {
    throw new CliError(`npm pack of the SDK failed: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  });
  if (!fs.existsSync(layout(work, version).sdkTarball)) throw new CliError(`npm pack did not write switchyard-sdk-${version}.tgz`);
  await buildPluginTesting({ root, outDir: path.join(work, 'node_modules', '@switchyard', 'plugin-testing') });
  fs.writeFileSync(path.join(work, 'kit.json'), `${JSON.stringify({ version, builtAt: new Date().toISOString() })}\n`);
}

/** Drops all but the newest {@link KEEP_KITS} other kits (a few hundred KB each) and builds abandoned over an hour ago. */
function pruneKits(parent: string, current: string): void {
  const entries = fs.readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const e of entries) {
    const dir = path.join(parent, e.name);
    if (e.name.includes('.tmp-') && Date.now() - fs.statSync(dir).mtimeMs > 3_600_000) fs.rmSync(dir, { recursive: true, force: true });
  }
  const kits = entries
    .filter((e) => e.isDirectory() && /^\d+\.\d+\.\d+[^.]*-[0-9a-f]{12}$/.test(e.name) && path.join(parent, e.name) !== current)
    .map((e) => ({ dir: path.join(parent, e.name), mtime: fs.statSync(path.join(parent, e.name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const { dir } of kits.slice(KEEP_KITS)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * The kit for the installation's current sources, built when missing (~10 s: esbuild, TypeScript's
 * declaration emit, npm pack). Safe to call from several processes at once: each builds in a
 * folder of its own and the first to rename it into place wins.
 */
export async function ensurePluginKit(root = installationRoot()): Promise<PluginKit> {
  const { version } = JSON.parse(fs.readFileSync(path.join(root, 'plugins', 'sdk', 'package.json'), 'utf8')) as { version: string };
  const parent = path.join(root, 'build', 'plugin-kit');
  const kit = layout(path.join(parent, `${version}-${sourcesHash(root)}`), version);
  if (fs.existsSync(path.join(kit.dir, 'kit.json'))) return kit;
  fs.mkdirSync(parent, { recursive: true });
  const work = `${kit.dir}.tmp-${randomBytes(4).toString('hex')}`;
  try {
    await buildKit(root, work, version);
    try {
      fs.renameSync(work, kit.dir);
    } catch (error) {
      // Another process put the same kit in place first; theirs is as good as ours.
      if (!fs.existsSync(path.join(kit.dir, 'kit.json'))) throw error;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  pruneKits(parent, kit.dir);
  return kit;
}
