import { parseArgs } from 'node:util';
import type { Json } from '@switchyard/sdk';

/**
 * Command-line parsing for `switchyard`, kept free of effects so it can be tested alone.
 * Bad arguments throw `UsageError` (exit code 2, message plus usage, no stack trace).
 */

export type Command =
  | { name: 'help' }
  | { name: 'start' | 'web' | 'dev'; port?: number; host?: string }
  | { name: 'worker'; concurrency?: number }
  | { name: 'migrate' }
  /** `from`: the file is an n8n workflow export, converted with an import report (decision 039). */
  | { name: 'import'; file: string; from?: 'n8n' }
  | { name: 'export'; flowId: string }
  | { name: 'run'; file: string; input: Json }
  | { name: 'apikey-create'; keyName?: string }
  | PluginCommand;

/** `switchyard plugin …` (app/cli/plugins.server.ts). */
export type PluginCommand =
  | { name: 'plugin-new'; pluginName: string; dir?: string }
  | { name: 'plugin-pack'; dir: string; out?: string }
  | { name: 'plugin-install'; source: string; approve: boolean }
  | { name: 'plugin-approve' | 'plugin-uninstall'; plugin: string; version: string }
  | { name: 'plugin-list' };

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE = `Usage: switchyard <command> [options]

Commands:
  start [--port N] [--host H]      web server and a worker in one process (embedded Postgres and
                                   Redis when DATABASE_URL / REDIS_URL are not set)
  web [--port N] [--host H]        web server only (API, webhooks, editor)
  worker [--concurrency N]         a worker only; start more on any machine to scale out
  dev [--port N] [--host H]        like start, with the Vite dev server for the editor
  migrate                          bring the database schema up to date
  import <flow.json>               create a flow from a document; prints its id
  import --from n8n <workflow.json>  convert an n8n workflow into a new inactive flow; prints its id,
                                   then the import report (what was mapped, changed, not mapped)
  export <flowId>                  print a flow's document (without credential ids)
  run <flow.json> [--input JSON]   run a document once with an in-process worker, printing each step
  apikey create [--name NAME]      create an API key and print it (shown once)
  plugin new <name> [--dir D]      start a plugin package in D (default ./<name>) wired to the SDK
                                   and test harness this installation provides; prints next steps
  plugin pack <dir> [--out FILE]   bundle a plugin package (default: <dir>/switchyard-plugin.json)
  plugin install <dir|file.json|pkg.tgz|npm-name> [--approve]
                                   install a plugin version; --approve grants its permissions now
  plugin approve <name> <version>  grant the permissions a plugin version asks for
  plugin list                      installed plugin versions and their permissions
  plugin uninstall <name> <version>  remove a version (refused while an active flow uses it)
  help                             this text

Configuration comes from the environment: DATABASE_URL, REDIS_URL, PORT, HOST,
SWITCHYARD_DATA_DIR, SWITCHYARD_ENCRYPTION_KEY, SWITCHYARD_OWNER_EMAIL/PASSWORD, LOG_LEVEL, …`;

const optionSpecs = {
  port: { type: 'string' },
  host: { type: 'string' },
  concurrency: { type: 'string' },
  input: { type: 'string' },
  name: { type: 'string' },
  out: { type: 'string' },
  dir: { type: 'string' },
  approve: { type: 'boolean' },
  from: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type OptionName = keyof typeof optionSpecs;

/** Options each command accepts (`help` everywhere). */
const allowed: Record<string, OptionName[]> = {
  start: ['port', 'host'], web: ['port', 'host'], dev: ['port', 'host'], worker: ['concurrency'], migrate: [],
  import: ['from'], export: [], run: ['input'], apikey: ['name'], plugin: ['out', 'approve', 'dir'], help: [],
};

function positiveInt(value: string | undefined, flag: string, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) throw new UsageError(`--${flag} must be a whole number from 1 to ${max}, got "${value}"`);
  return Number(value);
}

function exactly(positionals: string[], count: number, what: string): string[] {
  if (positionals.length < count) throw new UsageError(`missing ${what}`);
  if (positionals.length > count) throw new UsageError(`unexpected argument "${positionals[count]}"`);
  return positionals;
}

export function parseCommand(argv: string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') return { name: 'help' };
  const accepted = allowed[name];
  if (!accepted) throw new UsageError(`unknown command "${name}"`);
  let parsed: ReturnType<typeof parseArgs<{ options: typeof optionSpecs; allowPositionals: true; strict: true }>>;
  try {
    parsed = parseArgs({ args: rest, options: optionSpecs, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { name: 'help' };
  for (const key of Object.keys(values) as OptionName[]) {
    if (key !== 'help' && !accepted.includes(key)) throw new UsageError(`"${name}" does not take --${key}`);
  }

  switch (name) {
    case 'start':
    case 'web':
    case 'dev':
      exactly(positionals, 0, '');
      return { name, port: values.port === undefined ? undefined : positiveInt(values.port, 'port', 65_535), host: values.host };
    case 'worker':
      exactly(positionals, 0, '');
      return { name, concurrency: positiveInt(values.concurrency, 'concurrency', 10_000) };
    case 'migrate':
      exactly(positionals, 0, '');
      return { name };
    case 'import': {
      if (values.from !== undefined && values.from !== 'n8n') throw new UsageError(`--from takes n8n, got "${values.from}"`);
      const file = exactly(positionals, 1, values.from ? 'the n8n workflow file (switchyard import --from n8n <workflow.json>)' : 'the flow document file (switchyard import <flow.json>)')[0]!;
      return values.from ? { name, file, from: 'n8n' } : { name, file };
    }
    case 'export':
      return { name, flowId: exactly(positionals, 1, 'the flow id (switchyard export <flowId>)')[0]! };
    case 'run': {
      const file = exactly(positionals, 1, 'the flow document file (switchyard run <flow.json>)')[0]!;
      let input: Json = {};
      if (values.input !== undefined) {
        try {
          input = JSON.parse(values.input) as Json;
        } catch {
          throw new UsageError(`--input must be JSON, e.g. --input '{"name":"Ada"}'`);
        }
      }
      return { name, file, input };
    }
    case 'apikey': {
      const [sub, ...more] = positionals;
      if (sub !== 'create') throw new UsageError(sub === undefined ? 'missing subcommand: apikey create' : `unknown subcommand "apikey ${sub}"`);
      exactly(more, 0, '');
      if (values.name !== undefined && values.name.trim() === '') throw new UsageError('--name must not be empty');
      return { name: 'apikey-create', keyName: values.name };
    }
    case 'plugin':
      return parsePlugin(positionals, values.out, values.approve === true, values.dir);
    default:
      return { name: 'help' };
  }
}

function parsePlugin(positionals: string[], out: string | undefined, approve: boolean, dir: string | undefined): PluginCommand {
  const [sub, ...more] = positionals;
  if (dir !== undefined && sub !== 'new') throw new UsageError(`"plugin ${sub ?? ''}" does not take --dir`);
  switch (sub) {
    case 'new':
      if (dir === '') throw new UsageError('--dir must not be empty');
      return { name: 'plugin-new', pluginName: exactly(more, 1, 'the plugin name (switchyard plugin new <name>)')[0]!, ...(dir !== undefined ? { dir } : {}) };
    case 'pack':
      return { name: 'plugin-pack', dir: exactly(more, 1, 'the plugin folder (switchyard plugin pack <dir>)')[0]!, ...(out !== undefined ? { out } : {}) };
    case 'install':
      return { name: 'plugin-install', source: exactly(more, 1, 'what to install (a folder, a packed .json, a .tgz or an npm package name)')[0]!, approve };
    case 'approve':
    case 'uninstall': {
      const [plugin, version] = exactly(more, 2, `the plugin name and version (switchyard plugin ${sub} <name> <version>)`);
      return { name: `plugin-${sub}`, plugin: plugin!, version: version! };
    }
    case 'list':
      exactly(more, 0, '');
      return { name: 'plugin-list' };
    default:
      throw new UsageError(sub === undefined ? 'missing subcommand: plugin new|pack|install|approve|list|uninstall' : `unknown subcommand "plugin ${sub}"`);
  }
}
