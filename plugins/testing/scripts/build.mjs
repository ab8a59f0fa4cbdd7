// @ts-check
/**
 * Builds `@switchyard/plugin-testing` as a package a plugin outside this repository can depend on:
 *
 *   <outDir>/package.json
 *   <outDir>/dist/index.js      src/index.ts with the runtime's sandbox pool and plugin proxy bundled
 *                               in; npm packages (`@switchyard/sdk`, zod, esbuild) stay imports
 *   <outDir>/dist/index.d.ts
 *   <outDir>/dist/*.mjs         the sandbox host scripts, forked by path next to the code that forks them
 *
 * The host scripts load isolated-vm, and the package itself imports zod, esbuild and the SDK, all
 * resolved from where the package really is. So the product builds it inside its own installation
 * (build/plugin-kit, decision 028), next to a node_modules with those packages, and a plugin links
 * to it (`file:`): no plugin compiles isolated-vm of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import { emitDeclarations } from '../../sdk/scripts/build.mjs';

/**
 * @param {{ root: string, outDir: string }} options `root`: the Switchyard checkout or installation
 * @returns {Promise<string>} the package folder
 */
export async function buildPluginTesting({ root, outDir }) {
  const pkgDir = path.join(root, 'plugins', 'testing');
  const entry = path.join(pkgDir, 'src', 'index.ts');
  const dist = path.join(outDir, 'dist');
  fs.rmSync(outDir, { recursive: true, force: true });
  const { build } = await import('esbuild');
  await build({
    entryPoints: [entry],
    outfile: path.join(dist, 'index.js'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    conditions: ['switchyard-source'],
    // Our own modules are bundled; every npm package (the SDK included) is imported from node_modules.
    plugins: [{
      name: 'external-packages',
      setup(b) {
        b.onResolve({ filter: /^[^./]/ }, (args) => ({ path: args.path, external: true }));
      },
    }],
  });
  const sandbox = path.join(root, 'runtime', 'sandbox');
  for (const file of fs.readdirSync(sandbox)) {
    if (file.endsWith('.mjs')) fs.copyFileSync(path.join(sandbox, file), path.join(dist, file));
  }
  await emitDeclarations({ files: [entry], only: [entry], rootDir: path.join(pkgDir, 'src'), outDir: dist, cwd: root });
  const source = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
  const manifest = {
    name: source.name,
    version: source.version,
    private: true,
    description: source.description,
    type: 'module',
    main: './dist/index.js',
    types: './dist/index.d.ts',
    exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
    // Nothing is declared on purpose: npm would install declared dependencies into this folder (a
    // `file:` link target) from every plugin. They resolve from the installation's node_modules.
  };
  fs.writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return outDir;
}
