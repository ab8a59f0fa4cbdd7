import { createHash, randomBytes } from 'node:crypto';
import { builtinModules } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin as EsbuildPlugin } from 'esbuild';
import type { z } from 'zod';
import { PLUGIN_FORMAT, packedPlugin, type ManifestNode, type PackedPlugin } from './manifest.js';
import type { AnyNodeDefinition } from './node.js';
import type { PluginDefinition } from './plugin.js';

/**
 * `switchyard plugin pack`: bundles a plugin package into the `switchyard/plugin@1` format. Node
 * only (esbuild); never imported by the editor.
 *
 * The package.json of a plugin carries a `switchyard` section:
 * `{ "entry": "src/index.ts", "permissions": { "hosts": [], "credentialKinds": [] }, "minSwitchyard": "0.1.0" }`
 * (entry defaults to `src/index.ts`; the plugin name is the package name without its npm scope).
 */

/** The global the iife bundle assigns; the sandbox reads it in a function scope of its own. */
export const BUNDLE_GLOBAL = '__switchyard_plugin';

const BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** A pack failure the author can act on (the CLI prints the message alone). */
export class PackError extends Error {
  override name = 'PackError';
}

/** `sha256-<base64>` of a bundle: what the manifest pins and every host checks before compiling. */
export function integrityOf(bundle: string): string {
  return `sha256-${createHash('sha256').update(bundle).digest('base64')}`;
}

/** Fails the build on any Node built-in, naming it and the file that imports it. */
function rejectBuiltins(root: string): EsbuildPlugin {
  return {
    name: 'switchyard-no-builtins',
    setup(b) {
      b.onResolve({ filter: /^[a-z_:/]+$/ }, (args) => {
        if (!BUILTINS.has(args.path)) return undefined;
        const from = args.importer ? relative(root, args.importer) : 'the entry';
        return { errors: [{ text: `"${args.path}" (imported by ${from}) is a Node built-in: plugin code runs in an isolated sandbox without Node APIs. Use ctx.http for network access and plain JavaScript for the rest.` }] };
      });
    },
  };
}

interface PackageJson {
  name?: string;
  version?: string;
  description?: string;
  author?: string | { name?: string };
  switchyard?: { name?: string; entry?: string; minSwitchyard?: string; permissions?: { hosts?: string[]; credentialKinds?: string[] } };
}

async function bundle(dir: string, entry: string, target: 'sandbox' | 'node', contents: string, outfile?: string): Promise<string> {
  const result = await build({
    stdin: { contents, resolveDir: dir, sourcefile: `switchyard-${target}-entry.ts`, loader: 'ts' },
    bundle: true,
    write: outfile !== undefined,
    ...(outfile ? { outfile } : {}),
    platform: target === 'node' ? 'node' : 'neutral',
    format: target === 'node' ? 'esm' : 'iife',
    ...(target === 'sandbox' ? { globalName: BUNDLE_GLOBAL } : {}),
    mainFields: ['module', 'main'],
    // `switchyard-source`: the SDK's TypeScript sources (in a checkout and in its package alike)
    // rather than its build, so in-repo plugins pack without one (decision 028).
    conditions: ['switchyard-source', 'import', 'default'],
    target: 'es2022',
    logLevel: 'silent',
    legalComments: 'none',
    // zod alone is ~800 KB unminified; the bundle is stored per version and compiled once per host.
    minify: target === 'sandbox',
    plugins: [rejectBuiltins(dir)],
  }).catch((error: unknown) => {
    const errors = (error as { errors?: { text: string; location?: { file: string; line: number } | null }[] }).errors;
    if (!errors) throw error;
    throw new PackError(`cannot bundle ${entry}:\n${errors.map((e) => `  - ${e.text}${e.location ? ` (${e.location.file}:${e.location.line})` : ''}`).join('\n')}`);
  });
  return outfile ? outfile : (result.outputFiles?.[0]?.text ?? '');
}

/** The manifest entry of one node, with its props' JSON Schema. */
function describeNode(definition: AnyNodeDefinition, toJsonSchema: (schema: z.ZodType) => Record<string, unknown>): ManifestNode {
  if (definition.trigger) throw new PackError(`${definition.type}: plugins cannot define trigger nodes`);
  if (typeof definition.ports.out === 'function') throw new PackError(`${definition.type}: plugin nodes need a fixed list of output ports`);
  if (definition.inputMode && definition.inputMode !== 'each') throw new PackError(`${definition.type}: plugin nodes run once per message (inputMode "each")`);
  return {
    type: definition.type,
    version: definition.version,
    title: definition.title,
    category: definition.category,
    description: definition.description,
    icon: definition.icon ?? 'box',
    ports: { in: [...definition.ports.in], out: [...definition.ports.out] },
    credentials: Object.fromEntries(Object.entries(definition.credentials ?? {}).map(([slot, declared]) => [slot, {
      kinds: typeof declared.kind === 'string' ? [declared.kind] : [...declared.kind],
      optional: declared.optional ?? false,
      ...(declared.title ? { title: declared.title } : {}),
    }])),
    sideEffects: definition.sideEffects ?? true,
    literalProps: [...(definition.literalProps ?? [])],
    propsSchema: toJsonSchema(definition.props),
  };
}

/**
 * Packs the plugin in `dir`: the sandbox bundle (iife, dependencies inlined, no Node built-ins),
 * the manifest (node metadata and props JSON Schemas read by running the entry once in Node, with
 * the plugin's own zod) and the integrity hash.
 */
export async function packPlugin(dir: string): Promise<PackedPlugin> {
  const root = resolve(dir);
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8').catch(() => {
    throw new PackError(`no package.json in ${root}`);
  })) as PackageJson;
  const config = pkg.switchyard ?? {};
  const entry = `./${(config.entry ?? 'src/index.ts').replace(/^\.\//, '')}`;
  const code = await bundle(root, entry, 'sandbox', `export { default } from ${JSON.stringify(entry)};`);

  const work = await mkdtemp(join(tmpdir(), 'switchyard-pack-'));
  let definition: PluginDefinition;
  let toJsonSchema: (schema: z.ZodType) => Record<string, unknown>;
  try {
    const file = await bundle(root, entry, 'node', [
      `export { default } from ${JSON.stringify(entry)};`,
      `import { z } from 'zod';`,
      `export const toJsonSchema = (schema) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });`,
    ].join('\n'), join(work, `meta-${randomBytes(4).toString('hex')}.mjs`));
    const loaded = (await import(pathToFileURL(file).href)) as { default?: PluginDefinition; toJsonSchema: typeof toJsonSchema };
    if (!loaded.default || !Array.isArray(loaded.default.nodes)) throw new PackError(`${entry} must \`export default definePlugin({ nodes: [...] })\``);
    definition = loaded.default;
    toJsonSchema = loaded.toJsonSchema;
  } finally {
    await rm(work, { recursive: true, force: true });
  }

  const author = typeof pkg.author === 'string' ? pkg.author : (pkg.author?.name ?? '');
  const candidate = {
    manifest: {
      format: PLUGIN_FORMAT,
      name: config.name ?? (pkg.name ?? '').replace(/^@[^/]+\//, ''),
      version: pkg.version,
      description: pkg.description ?? '',
      author,
      minSwitchyard: config.minSwitchyard ?? '0.1.0',
      nodes: definition.nodes.map((node) => describeNode(node, toJsonSchema)),
      permissions: { hosts: config.permissions?.hosts ?? [], credentialKinds: config.permissions?.credentialKinds ?? [] },
    },
    bundle: code,
    integrity: integrityOf(code),
  };
  const parsed = packedPlugin.safeParse(candidate);
  if (!parsed.success) {
    throw new PackError(`invalid plugin package:\n${parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n')}`);
  }
  return parsed.data;
}

/** The packed file a plugin package carries at its root (what `plugin install <pkg.tgz>` reads). */
export const PACKED_FILE = 'switchyard-plugin.json';

/** Writes a packed plugin to `file` (default: `<cwd>/switchyard-plugin.json`); returns its absolute path. */
export async function writePackedPlugin(packed: PackedPlugin, file: string = PACKED_FILE): Promise<string> {
  const out = resolve(file);
  await writeFile(out, `${JSON.stringify(packed)}\n`);
  return out;
}
