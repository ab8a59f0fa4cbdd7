// The compiled server: app/cli/main.ts and everything it imports (runtime, nodes, the HTTP layer,
// the SDK) bundled by esbuild into build/cli/main.mjs, npm packages left external. Running it
// needs no TypeScript loader, which saves ~35 MB of RSS per process and the start-up compile
// (docs/decisions/009). bin/switchyard.mjs uses it when it is at least as new as the sources.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const serverBundle = path.join(root, 'build', 'cli', 'main.mjs');
const sourceDirs = ['app/cli', 'app/server', 'runtime', 'nodes', 'plugins/sdk/src', 'migrations'].map((d) => path.join(root, d));

function newest(dir) {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'fixtures') latest = Math.max(latest, newest(full));
    } else if (/\.(ts|mjs|js|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
      latest = Math.max(latest, fs.statSync(full).mtimeMs);
    }
  }
  return latest;
}

// `--conditions`: our workspace packages (the SDK) resolve to their TypeScript sources, not to the
// build they publish (decision 028).
export const sourceConditionFlag = '--conditions=switchyard-source';
const fromSourceFlags = ['--no-node-snapshot', sourceConditionFlag, '--import', 'tsx'];

/**
 * V8 flags for the product's processes (docs/decisions/013, measured with `npm run bench`): the old
 * generation may grow to a multiple of what is live before a full GC (up to 4× on small heaps); a
 * worker with ~24 MB live sat at 70+ MB. 1.5× keeps it near what it uses, for ~2–4% more worker CPU.
 * (Smaller young-generation semi-spaces saved ~30 MB more but cost ~8% of throughput.)
 */
export const memoryFlags = ['--heap-growing-percent=50'];

/**
 * Node arguments to run bin/switchyard.mjs as the real process (no re-exec): none for the compiled
 * server; the TypeScript loader and the snapshot flag when running from source.
 */
export function switchyardNodeArgs() {
  return [...memoryFlags, ...(serverBuildIsFresh() ? [] : fromSourceFlags), path.join(root, 'bin', 'switchyard.mjs')];
}

/** Whether build/cli/main.mjs exists and no server source (or package.json) is newer. */
export function serverBuildIsFresh() {
  let built;
  try {
    built = fs.statSync(serverBundle).mtimeMs;
  } catch {
    return false;
  }
  const sources = Math.max(fs.statSync(path.join(root, 'package.json')).mtimeMs, ...sourceDirs.filter((d) => fs.existsSync(d)).map(newest));
  return built >= sources;
}

/** Bundles the server (about a second). Requires node_modules (esbuild). */
export async function buildServer() {
  const { build } = await import('esbuild');
  const outDir = path.dirname(serverBundle);
  fs.rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [path.join(root, 'app', 'cli', 'main.ts')],
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    // Lazily imported parts (the HTTP layer, the UI build loader) become chunks, so a worker
    // process never loads express or Remix.
    splitting: true,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['switchyard-source'],
    // Every npm package stays in node_modules (resolved at run time as usual), whether or not the
    // root package.json names it; only our own workspace package (TypeScript source) is bundled.
    plugins: [{
      name: 'externalize-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => (args.path.startsWith('@switchyard/') ? undefined : { path: args.path, external: true }));
      },
    }],
    sourcemap: 'linked',
    // Bundled CommonJS helpers (a few small transitive deps) call require(); give them Node's.
    banner: { js: "import { createRequire as __syRequire } from 'node:module'; const require = __syRequire(import.meta.url);" },
    logLevel: 'warning',
  });
  // The sandbox host is a separate plain-JS process forked by path, next to the code that forks it.
  // So is the local embedding model's process (runtime/knowledge/embedder-host.mjs).
  for (const dir of ['sandbox', 'knowledge']) {
    for (const file of fs.readdirSync(path.join(root, 'runtime', dir))) {
      if (file.endsWith('.mjs')) fs.copyFileSync(path.join(root, 'runtime', dir, file), path.join(outDir, file));
    }
  }
}
