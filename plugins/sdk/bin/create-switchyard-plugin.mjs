#!/usr/bin/env node
// @ts-check
/**
 * `create-switchyard-plugin <name> [--dir D]`: starts a plugin package. A plugin needs the SDK and
 * the test harness a Switchyard installation provides (neither is on npm yet, decision 028), so this
 * is `switchyard plugin new` under another name: run from a Switchyard installation (the checkout's
 * `npx create-switchyard-plugin`), it hands over to that installation's CLI; anywhere else (the SDK
 * installed from its tarball) it says how to reach one, and writes nothing.
 * Plain JavaScript so it runs without a build step.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The Switchyard installation this file belongs to (`<root>/plugins/sdk/bin/`), if it is in one. */
export function installationOf(file = fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(file), '..', '..', '..');
  const pkg = join(root, 'package.json');
  if (!existsSync(pkg) || !existsSync(join(root, 'bin', 'switchyard.mjs'))) return undefined;
  return /** @type {{ name?: string }} */ (JSON.parse(readFileSync(pkg, 'utf8'))).name === 'switchyard' ? root : undefined;
}

export const OUTSIDE_HELP = `create-switchyard-plugin needs a Switchyard installation: the SDK and the test harness a plugin
depends on come from it until they are published on npm. From your Switchyard folder run
  node bin/switchyard.mjs plugin new <name> --dir <where>
(or \`npx create-switchyard-plugin <name>\` there); it prints the commands that follow.`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = installationOf();
  if (!root) {
    process.stderr.write(`${OUTSIDE_HELP}\n`);
    process.exit(1);
  }
  const args = process.argv.slice(2);
  if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: create-switchyard-plugin <name> [--dir D]   (same as: switchyard plugin new <name> [--dir D])\n');
    process.exit(args.length === 0 ? 2 : 0);
  }
  const result = spawnSync(process.execPath, [join(root, 'bin', 'switchyard.mjs'), 'plugin', 'new', ...args], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
