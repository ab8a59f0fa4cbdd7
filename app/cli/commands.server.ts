import fs from 'node:fs/promises';
import path from 'node:path';
import { createRuntime, loadConfig, type Runtime } from '../../runtime/index.js';
import { bindCredentials, exportDocument } from '../server/flow-export.js';
import type { CliIo } from './io.js';

/** The CLI acts in the one default workspace until multi-user workspaces land. */
export const CLI_WORKSPACE = 'default';

/** A user mistake the CLI reports as one line (exit 1), e.g. a missing file. */
export class CliError extends Error {
  override name = 'CliError';
}

/** Opens the runtime from the environment, runs `fn`, and always closes it. */
export async function withRuntime<T>(io: CliIo, fn: (runtime: Runtime) => Promise<T>): Promise<T> {
  const runtime = await createRuntime(loadConfig(io.env));
  try {
    return await fn(runtime);
  } finally {
    await runtime.close();
  }
}

export async function readDocument(io: CliIo, file: string): Promise<unknown> {
  const full = path.resolve(io.cwd, file);
  let text: string;
  try {
    text = await fs.readFile(full, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file}: ${code ?? String(error)}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function migrate(io: CliIo): Promise<number> {
  // Opening the runtime applies every pending migration (same code path as start).
  await withRuntime(io, async () => undefined);
  io.stdout('database schema is up to date');
  return 0;
}

export async function importFlow(io: CliIo, file: string): Promise<number> {
  const document = await readDocument(io, file);
  const flow = await withRuntime(io, async (runtime) => {
    const bound = bindCredentials(document, await runtime.credentials.list(CLI_WORKSPACE));
    return runtime.flows.create(CLI_WORKSPACE, bound);
  });
  io.stdout(flow.id);
  return 0;
}

export async function exportFlow(io: CliIo, flowId: string): Promise<number> {
  const flow = await withRuntime(io, (runtime) => runtime.flows.get(CLI_WORKSPACE, flowId));
  io.stdout(JSON.stringify(exportDocument(flow.document), null, 2));
  return 0;
}

export async function createApiKey(io: CliIo, name: string | undefined): Promise<number> {
  const keyName = name ?? `cli ${new Date().toISOString().slice(0, 10)}`;
  const created = await withRuntime(io, (runtime) => runtime.auth.createApiKey(CLI_WORKSPACE, keyName));
  io.stdout(created.key);
  io.stderr(`API key "${keyName}" (${created.prefix}…) created; it is shown only this once.`);
  return 0;
}
