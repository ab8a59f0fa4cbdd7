import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { PACKED_FILE, PackError, packPlugin, writePackedPlugin } from '@switchyard/sdk/pack';
import type { PackedPlugin } from '@switchyard/sdk/manifest';
import type { PluginCommand } from './args.js';
import { CLI_WORKSPACE, CliError, readDocument, withRuntime } from './commands.server.js';
import type { CliIo } from './io.js';
import { newPlugin } from './plugin-new.server.js';

const run = promisify(execFile);

async function exists(file: string): Promise<boolean> {
  return fs.stat(file).then(() => true, () => false);
}

async function pack(dir: string): Promise<PackedPlugin> {
  try {
    return await packPlugin(dir);
  } catch (error) {
    if (error instanceof PackError) throw new CliError(error.message);
    throw error;
  }
}

/**
 * What `plugin install` installs: a plugin folder (packed now), a packed `.json`, or an npm package
 * (`.tgz` or a name fetched with `npm pack`) that carries `switchyard-plugin.json` at its root.
 */
async function loadSource(io: CliIo, source: string): Promise<unknown> {
  const full = path.resolve(io.cwd, source);
  const stat = await fs.stat(full).catch(() => undefined);
  if (stat?.isDirectory()) return pack(full);
  if (stat && source.endsWith('.json')) return readDocument(io, source);
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'switchyard-plugin-'));
  try {
    let tgz = full;
    if (!stat) {
      // Not a file here: an npm package name (or name@version), fetched by the ordinary npm client.
      const { stdout } = await run('npm', ['pack', source, '--pack-destination', work, '--silent'], { cwd: io.cwd }).catch((error: unknown) => {
        throw new CliError(`cannot fetch "${source}" from npm: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      });
      tgz = path.join(work, stdout.trim().split('\n').pop() ?? '');
    }
    await run('tar', ['-xzf', tgz, '-C', work]);
    const packed = path.join(work, 'package', PACKED_FILE);
    if (!(await exists(packed))) throw new CliError(`${source} has no ${PACKED_FILE}: run "switchyard plugin pack" before publishing and include the file`);
    return JSON.parse(await fs.readFile(packed, 'utf8'));
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

export async function pluginCommand(io: CliIo, command: PluginCommand): Promise<number> {
  switch (command.name) {
    case 'plugin-new':
      return newPlugin(io, command);
    case 'plugin-pack': {
      const dir = path.resolve(io.cwd, command.dir);
      const packed = await pack(dir);
      io.stdout(await writePackedPlugin(packed, path.resolve(io.cwd, command.out ?? path.join(command.dir, PACKED_FILE))));
      return 0;
    }
    case 'plugin-install': {
      const packed = await loadSource(io, command.source);
      const installed = await withRuntime(io, (runtime) => runtime.plugins.install(CLI_WORKSPACE, packed, { approve: command.approve }));
      io.stdout(`${installed.name}@${installed.version} installed${installed.approved ? ' and approved' : ''}`);
      io.stdout(`  nodes: ${installed.nodes.map((n) => `${n.type}@${n.version}`).join(', ')}`);
      io.stdout(`  hosts: ${installed.permissions.hosts.join(', ') || 'none'}; credential kinds: ${installed.permissions.credentialKinds.join(', ') || 'none'}`);
      if (!installed.approved) io.stderr(`approve with: switchyard plugin approve ${installed.name} ${installed.version}`);
      return 0;
    }
    case 'plugin-approve': {
      const approved = await withRuntime(io, (runtime) => runtime.plugins.approve(CLI_WORKSPACE, command.plugin, command.version));
      io.stdout(`${approved.name}@${approved.version} approved`);
      return 0;
    }
    case 'plugin-uninstall':
      await withRuntime(io, (runtime) => runtime.plugins.uninstall(CLI_WORKSPACE, command.plugin, command.version));
      io.stdout(`${command.plugin}@${command.version} uninstalled`);
      return 0;
    case 'plugin-list': {
      const list = await withRuntime(io, (runtime) => runtime.plugins.list(CLI_WORKSPACE));
      for (const p of list) io.stdout(`${p.name}@${p.version}\t${p.approved ? 'approved' : 'NOT APPROVED'}\t${p.nodes.map((n) => `${n.type}@${n.version}`).join(', ')}`);
      if (list.length === 0) io.stdout('no plugins installed');
      return 0;
    }
  }
}
