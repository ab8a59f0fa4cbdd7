import { registryKey, type NodeRegistry } from '../../nodes/index.js';
import type { SandboxPool } from '../sandbox/pool.js';
import { createPluginNode } from './proxy.js';
import type { PluginStore } from './store.js';

/**
 * Keeps the plugin nodes of a process's node registry in step with the approved rows of `plugins`.
 * The registry object is shared (flows, plans and the executor all read it), so it is updated in
 * place: plugin keys are removed and re-added; built-in keys are never touched.
 */
export class PluginRegistry {
  private keys = new Set<string>();
  /** The reload in progress, if any; the next one starts after it. */
  private latest: Promise<void> = Promise.resolve();

  constructor(private readonly options: {
    store: PluginStore;
    registry: NodeRegistry;
    pool: () => SandboxPool;
    /** CPU per plugin call. Default: the pool's. */
    cpuMs?: number;
    /** Called after the registry changed (the catalog is rebuilt). */
    onChange(): void;
  }) {}

  /**
   * Reloads every approved plugin version. Cheap: bundles are compiled lazily by the hosts.
   * Reloads run one at a time in call order. Overlapping ones (a local change and the change
   * message it publishes, which this process also receives) could otherwise finish out of order,
   * and one that read the store before an uninstall would put the removed nodes back.
   */
  sync(): Promise<void> {
    const run = this.latest.then(() => this.load());
    this.latest = run.catch(() => {});
    return run;
  }

  private async load(): Promise<void> {
    const rows = await this.options.store.allApproved();
    const registry = this.options.registry;
    for (const key of this.keys) delete registry[key];
    this.keys = new Set();
    for (const row of rows) {
      if (!row.approved) continue;
      for (const node of row.manifest.nodes) {
        const key = registryKey(node.type, node.version);
        // First come wins: a built-in or an earlier install keeps its key (install refuses such clashes).
        if (Object.hasOwn(registry, key)) continue;
        registry[key] = createPluginNode({ manifest: row.manifest, bundle: row.bundle, integrity: row.integrity, approved: row.approved }, node, {
          pool: this.options.pool, ...(this.options.cpuMs !== undefined ? { cpuMs: this.options.cpuMs } : {}),
        });
        this.keys.add(key);
      }
    }
    this.options.onChange();
  }

  /** Whether `key` is a plugin node (not a built-in). */
  isPluginKey(key: string): boolean {
    return this.keys.has(key);
  }
}
