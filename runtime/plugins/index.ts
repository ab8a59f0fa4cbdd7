import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { NodeRegistry } from '../../nodes/index.js';
import type { Channels } from '../queue/channels.js';
import { createSandboxPool, type SandboxPool } from '../sandbox/pool.js';
import type { FlowService, PluginService } from '../services/types.js';
import { PluginRegistry } from './registry.js';
import { createPluginService } from './service.js';
import { PluginStore } from './store.js';

export { createPluginNode, pluginPropsSchema, type LoadedPlugin } from './proxy.js';
export { SWITCHYARD_VERSION } from './service.js';

export interface PluginSetup {
  service: PluginService;
  /** Reloads the approved plugins into the registry (done at start and on every change message). */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Plugins for one runtime process: the service, the registry loader and a sandbox pool of their own
 * (started on first use), so a slow or crashing plugin never delays expressions and Code nodes.
 * Changes are announced on the `plugins` channel; every process (web and workers, on any machine)
 * reloads from Postgres when it hears one.
 */
export async function setupPlugins(deps: {
  knex: Knex;
  registry: NodeRegistry;
  builtins: NodeRegistry;
  flows: FlowService;
  channels: Channels;
  /** Redis key prefix: the change channel is `<prefix>:ch:plugins`, beside the runtime's other channels. */
  prefix: string;
  log: Logger;
  sandbox: { hosts: number; timeoutMs: number; memoryMb: number };
  /** The registry changed: rebuild what is derived from it (the catalog). */
  onChange(): void;
}): Promise<PluginSetup> {
  let pool: SandboxPool | undefined;
  const getPool = () => (pool ??= createSandboxPool({
    hosts: deps.sandbox.hosts, timeoutMs: deps.sandbox.timeoutMs, memoryMb: deps.sandbox.memoryMb,
    onRestart: (reason) => deps.log.warn({ reason }, 'plugin sandbox host replaced'),
  }));
  const store = new PluginStore(deps.knex);
  const loader = new PluginRegistry({ store, registry: deps.registry, pool: getPool, cpuMs: deps.sandbox.timeoutMs, onChange: deps.onChange });
  const channel = `${deps.prefix}:ch:plugins`;
  const sync = () => loader.sync();
  const unsubscribe = await deps.channels.subscribe(channel, () => {
    sync().catch((error: unknown) => deps.log.error({ err: error }, 'could not reload plugins'));
  });
  await sync();
  const service = createPluginService({
    store, flows: deps.flows, builtins: deps.builtins, pool: getPool,
    changed: async () => {
      await sync();
      await deps.channels.publish(channel, 'changed');
    },
  });
  return {
    service,
    sync,
    async close() {
      await unsubscribe();
      await pool?.close();
    },
  };
}
