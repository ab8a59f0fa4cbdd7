#!/usr/bin/env node
// @ts-check
/**
 * Builds the publishable `@switchyard/sdk`: every module of src/ (tests excluded) → dist/*.js
 * (esbuild, one file per module, ESM for Node 20) and dist/*.d.ts (TypeScript's declaration emit).
 * Inside this repository the sources are used directly (package.json's `switchyard-source`
 * condition, decision 028); dist/ exists only for a tarball.
 *
 *   node scripts/build.mjs            build ./dist (npm runs it before `npm pack`, as `prepack`)
 *   node scripts/build.mjs --clean    remove ./dist again (`postpack`), so no compiled copy lingers
 *                                     next to the sources for a process that lacks the condition
 *
 * Plain JavaScript so it runs without a TypeScript loader; it needs esbuild and typescript, which
 * the Switchyard checkout has (the product builds the SDK it hands to plugin authors with this).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The SDK's modules: src/*.ts without the tests. */
function sourceFiles(srcDir) {
  return fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts')).map((f) => path.join(srcDir, f));
}

/**
 * Writes `.d.ts` files for `files` into `outDir` (relative to `rootDir`). Only the declaration
 * emit's own diagnostics fail the build: type errors are `npm run typecheck`'s business.
 * @param {{ files: string[], rootDir: string, outDir: string, cwd: string, only?: string[] }} options
 */
export async function emitDeclarations({ files, rootDir, outDir, cwd, only }) {
  const { default: ts } = await import('typescript');
  /** @type {import('typescript').CompilerOptions} */
  const options = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    customConditions: ['switchyard-source'], strict: true, skipLibCheck: true, esModuleInterop: true, isolatedModules: true,
    lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'], types: ['node'], resolveJsonModule: true,
    declaration: true, emitDeclarationOnly: true, rootDir, outDir,
  };
  const host = ts.createCompilerHost(options);
  // @types/node is looked up from here upwards (the checkout's node_modules), whatever the caller's cwd.
  host.getCurrentDirectory = () => cwd;
  const program = ts.createProgram(files, options, host);
  const wanted = new Set((only ?? files).map((f) => path.resolve(f)));
  const diagnostics = [];
  for (const file of program.getSourceFiles()) {
    if (!wanted.has(path.resolve(file.fileName))) continue;
    diagnostics.push(...program.emit(file, undefined, undefined, true).diagnostics);
  }
  if (diagnostics.length) {
    throw new Error(`declaration emit failed:\n${ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => cwd, getNewLine: () => '\n' })}`);
  }
}

/**
 * Builds the SDK found in `sdkDir` into `<outDir>/dist` (default: `<sdkDir>/dist`).
 * @param {{ sdkDir: string, outDir?: string }} options
 * @returns {Promise<string>} the dist folder
 */
export async function buildSdk({ sdkDir, outDir = sdkDir }) {
  const srcDir = path.join(sdkDir, 'src');
  const dist = path.join(outDir, 'dist');
  fs.rmSync(dist, { recursive: true, force: true });
  const files = sourceFiles(srcDir);
  const { build } = await import('esbuild');
  await build({ entryPoints: files, outdir: dist, outbase: srcDir, bundle: false, format: 'esm', platform: 'node', target: 'node20', logLevel: 'warning' });
  await emitDeclarations({ files, rootDir: srcDir, outDir: dist, cwd: sdkDir });
  return dist;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  try {
    if (process.argv.includes('--clean')) fs.rmSync(path.join(sdkDir, 'dist'), { recursive: true, force: true });
    else await buildSdk({ sdkDir });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
