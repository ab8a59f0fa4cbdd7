import path from 'node:path';
import { PACKED_FILE } from '@switchyard/sdk/pack';
import { loadConfig } from '../../runtime/index.js';
import type { CliIo } from './io.js';
import { ensurePluginKit } from './plugin-kit.server.js';
import { pluginNameFrom, scaffoldPlugin } from './plugin-scaffold.js';

/** `'…'`-quoted for a POSIX shell when it holds anything but plain path characters. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * `switchyard plugin new <name> [--dir D]`: a plugin package in D (default `./<name>`) that depends
 * on the SDK tarball and the test harness this installation provides (the plugin kit, built on
 * demand), then the commands that take it to an installed node, each of which works as printed.
 */
export async function newPlugin(io: CliIo, command: { pluginName: string; dir?: string }): Promise<number> {
  const name = pluginNameFrom(command.pluginName);
  const dir = path.resolve(io.cwd, command.dir ?? name);
  const kit = await ensurePluginKit();
  const written = scaffoldPlugin(dir, name, { sdk: `file:${kit.sdkTarball}`, testing: `file:${kit.testingDir}` });
  const api = `${loadConfig(io.env).publicUrl}/api/plugins`;
  const auth = '-H "Authorization: Bearer $SWITCHYARD_API_KEY"';
  io.stdout([
    `created ${name} in ${dir}:`,
    ...written.map((file) => `  ${file}`),
    `@switchyard/sdk ${kit.version} and @switchyard/plugin-testing come from this Switchyard installation (${kit.dir}).`,
    'next:',
    `  cd ${shellQuote(dir)}`,
    '  npm install',
    '  npm test                # runs src/index.test.ts: the node in the real sandbox',
    `  npm run pack            # writes ${PACKED_FILE}`,
    `then install ${PACKED_FILE} into Switchyard: the editor's Plugins page (Install plugin…), or with an API key:`,
    `  curl -X POST ${api} ${auth} -H 'Content-Type: application/json' --data @${PACKED_FILE}`,
    `  curl -X POST ${api}/${name}/0.1.0/approve ${auth}`,
  ].join('\n'));
  return 0;
}
