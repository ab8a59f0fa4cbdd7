import { AppError } from '../../runtime/errors.js';
import { parseCommand, USAGE, UsageError, type Command } from './args.js';
import { CliError, createApiKey, exportFlow, importFlow, migrate } from './commands.server.js';
import { importN8nFlow } from './import-n8n.server.js';
import { pluginCommand } from './plugins.server.js';
import { processIo, type CliIo } from './io.js';
import { runOnce } from './run.server.js';
import { serve } from './serve.server.js';

export type { CliIo } from './io.js';

/**
 * The `switchyard` command (bin/switchyard.mjs calls this). Returns the exit code: 0 done,
 * 1 failed (execution failed, user error, server unreachable), 2 bad arguments. User errors are one
 * line on stderr; a stack trace is printed only for unexpected errors with SWITCHYARD_DEBUG=1.
 */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let command: Command;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`switchyard: ${error.message}\n\n${USAGE}`);
    return 2;
  }
  try {
    return await execute(io, command);
  } catch (error) {
    io.stderr(`switchyard: ${describe(error)}`);
    if (io.env.SWITCHYARD_DEBUG === '1' && error instanceof Error && !(error instanceof AppError || error instanceof CliError)) {
      io.stderr(error.stack ?? '');
    }
    return 1;
  }
}

function execute(io: CliIo, command: Command): Promise<number> {
  switch (command.name) {
    case 'help':
      io.stdout(USAGE);
      return Promise.resolve(0);
    case 'start':
    case 'web':
    case 'dev':
      return serve(io, command.name, { port: command.port, host: command.host });
    case 'worker':
      return serve(io, 'worker', { concurrency: command.concurrency });
    case 'migrate':
      return migrate(io);
    case 'import':
      return command.from === 'n8n' ? importN8nFlow(io, command.file) : importFlow(io, command.file);
    case 'export':
      return exportFlow(io, command.flowId);
    case 'run':
      return runOnce(io, command.file, command.input);
    case 'apikey-create':
      return createApiKey(io, command.keyName);
    case 'plugin-new':
    case 'plugin-pack':
    case 'plugin-install':
    case 'plugin-approve':
    case 'plugin-uninstall':
    case 'plugin-list':
      return pluginCommand(io, command);
  }
}

/** One readable line, with the problems of a validation error listed after it. */
export function describe(error: unknown): string {
  if (error instanceof AppError) {
    const details = (error.details ?? []).map((d) => {
      if (typeof d !== 'object' || d === null) return `  - ${String(d)}`;
      const entry: { message?: unknown; nodeId?: unknown; path?: unknown } = d;
      const where = typeof entry.nodeId === 'string' ? `[${entry.nodeId}] ` : Array.isArray(entry.path) && entry.path.length ? `${entry.path.join('.')}: ` : '';
      return `  - ${where}${String(entry.message ?? JSON.stringify(d))}`;
    });
    return [error.message, ...details].join('\n');
  }
  if (error instanceof Error) return error.message;
  return String(error);
}
