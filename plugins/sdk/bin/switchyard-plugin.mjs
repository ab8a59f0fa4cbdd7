#!/usr/bin/env node
// @ts-check
/**
 * `switchyard-plugin pack [dir] [--out FILE]`: packs the plugin in `dir` (default: the current
 * folder) into `switchyard-plugin.json` — manifest, bundle, integrity — the file Switchyard installs.
 * It is `switchyard plugin pack` without a Switchyard installation: what a plugin's `npm run pack`
 * runs. Needs esbuild next to the SDK (a plugin made by `switchyard plugin new` has it).
 */
import path from 'node:path';

const USAGE = 'usage: switchyard-plugin pack [dir] [--out FILE]';

/** @param {string[]} argv @returns {{ dir: string, out: string | undefined }} */
function parse(argv) {
  const [command, ...rest] = argv;
  if (command !== 'pack') throw new Error(command === undefined ? USAGE : `unknown command "${command}"\n${USAGE}`);
  let out;
  const at = rest.indexOf('--out');
  if (at >= 0) {
    out = rest[at + 1];
    if (!out) throw new Error(`--out needs a file\n${USAGE}`);
    rest.splice(at, 2);
  }
  if (rest.length > 1 || rest.some((a) => a.startsWith('-'))) throw new Error(`unexpected argument "${rest.find((a) => a.startsWith('-')) ?? rest[1]}"\n${USAGE}`);
  return { dir: path.resolve(rest[0] ?? '.'), out };
}

try {
  const { dir, out } = parse(process.argv.slice(2));
  // The compiled SDK (dist/ exists in the published package; in a Switchyard checkout use `switchyard plugin pack`).
  const { PACKED_FILE, packPlugin, writePackedPlugin } = await import('../dist/pack.js');
  const packed = await packPlugin(dir);
  const file = await writePackedPlugin(packed, out ? path.resolve(out) : path.join(dir, PACKED_FILE));
  process.stdout.write(`${packed.manifest.name}@${packed.manifest.version}: ${packed.manifest.nodes.map((n) => `${n.type}@${n.version}`).join(', ')}\n${file}\n`);
} catch (error) {
  // PackError and usage mistakes are for the author: the message alone.
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
