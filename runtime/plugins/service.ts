import { createHash } from 'node:crypto';
import { compareSemver, packedPlugin, type PackedPlugin } from '@switchyard/sdk/manifest';
import { registryKey, type NodeRegistry } from '../../nodes/index.js';
import { AppError, ConflictError, NotFoundError, ValidationError, type Problem } from '../errors.js';
import type { SandboxPool } from '../sandbox/pool.js';
import { SandboxError } from '../sandbox/errors.js';
import type { FlowService, PluginService, PluginSummary } from '../services/types.js';
import type { PluginRow, PluginStore } from './store.js';

/** The Switchyard version plugins' `minSwitchyard` is compared with. */
export const SWITCHYARD_VERSION = '0.1.0';

/** Namespaces of built-in nodes; a plugin may not take one. */
const RESERVED = new Set(['core', 'switchyard', 'system']);

export interface PluginServiceDeps {
  store: PluginStore;
  flows: FlowService;
  /** Built-in nodes (a plugin node may not shadow one). */
  builtins: NodeRegistry;
  /** Loads bundles to check them against their manifest. */
  pool: () => SandboxPool;
  /** Reloads the registry here and tells other processes to (after approve and uninstall). */
  changed(): Promise<void>;
}

function summary(row: PluginRow): PluginSummary {
  const m = row.manifest;
  return {
    name: m.name, version: m.version, description: m.description, author: m.author, minSwitchyard: m.minSwitchyard,
    integrity: row.integrity,
    nodes: m.nodes.map((n) => ({ type: n.type, version: n.version, title: n.title, description: n.description })),
    permissions: { hosts: [...m.permissions.hosts], credentialKinds: [...m.permissions.credentialKinds] },
    approved: row.approved !== null,
    installedAt: row.installedAt.toISOString(),
  };
}

function invalid(message: string, problems: Problem[]): ValidationError {
  return new ValidationError(message, problems);
}

export function createPluginService(deps: PluginServiceDeps): PluginService {
  const { store } = deps;

  async function mustGet(workspaceId: string, name: string, version: string): Promise<PluginRow> {
    const row = await store.get(workspaceId, name, version);
    if (!row) throw new NotFoundError('plugin', `${name}@${version}`);
    return row;
  }

  /** The checks that need nothing but the package itself and the sandbox. */
  async function verify(packed: PackedPlugin): Promise<void> {
    const { manifest } = packed;
    if (RESERVED.has(manifest.name)) throw invalid(`"${manifest.name}" is reserved for built-in nodes`, [{ code: 'reserved_name', message: 'choose another plugin name', path: ['manifest', 'name'] }]);
    const digest = `sha256-${createHash('sha256').update(packed.bundle).digest('base64')}`;
    if (digest !== packed.integrity) {
      throw new AppError(400, 'integrity_mismatch', `the bundle's sha256 (${digest}) does not match the package's integrity (${packed.integrity}); it may have been tampered with`);
    }
    if (compareSemver(manifest.minSwitchyard, SWITCHYARD_VERSION) > 0) {
      throw new AppError(400, 'incompatible', `${manifest.name}@${manifest.version} needs Switchyard ${manifest.minSwitchyard} or newer (this is ${SWITCHYARD_VERSION})`);
    }
    let defined: string[];
    try {
      defined = await deps.pool().describePlugin({ integrity: packed.integrity, bundle: packed.bundle });
    } catch (error) {
      if (error instanceof SandboxError) throw new AppError(400, 'invalid_bundle', `the bundle did not load in the sandbox: ${error.message}`);
      throw error;
    }
    const declared = manifest.nodes.map((n) => registryKey(n.type, n.version));
    const missing = declared.filter((key) => !defined.includes(key));
    const undeclared = defined.filter((key) => !declared.includes(key));
    if (missing.length > 0 || undeclared.length > 0) {
      throw invalid('the manifest does not describe the bundle\'s nodes', [
        ...missing.map((key) => ({ code: 'manifest_mismatch', message: `the manifest lists ${key} but the bundle does not define it` })),
        ...undeclared.map((key) => ({ code: 'manifest_mismatch', message: `the bundle defines ${key} but the manifest does not list it` })),
      ]);
    }
  }

  /** A node version already provided by a built-in or by another installed version of any plugin. */
  async function clashes(workspaceId: string, packed: PackedPlugin): Promise<Problem[]> {
    const installed = await store.list(workspaceId);
    const problems: Problem[] = [];
    for (const node of packed.manifest.nodes) {
      const key = registryKey(node.type, node.version);
      if (Object.hasOwn(deps.builtins, key)) problems.push({ code: 'node_clash', message: `${key} is a built-in node` });
      const owner = installed.find((row) => row.manifest.nodes.some((n) => registryKey(n.type, n.version) === key));
      if (owner) {
        problems.push({ code: 'node_clash', message: `${key} is already provided by ${owner.manifest.name}@${owner.manifest.version}; bump the node's version when its code changes` });
      }
    }
    return problems;
  }

  const service: PluginService = {
    async list(workspaceId) {
      return (await store.list(workspaceId)).map(summary);
    },

    async install(workspaceId, input, options = {}) {
      const parsed = packedPlugin.safeParse(input);
      if (!parsed.success) {
        throw invalid('not a valid plugin package', parsed.error.issues.map((i) => ({ code: 'invalid_package', message: i.message, path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)) })));
      }
      const packed = parsed.data;
      const { name, version } = packed.manifest;
      if (await store.get(workspaceId, name, version)) throw new ConflictError(`${name}@${version} is already installed`);
      await verify(packed);
      const clash = await clashes(workspaceId, packed);
      if (clash.length > 0) throw new ConflictError(`${name}@${version} clashes with installed nodes`, clash);
      await store.insert(workspaceId, packed, options.approve ? packed.manifest.permissions : null);
      if (options.approve) await deps.changed();
      return summary(await mustGet(workspaceId, name, version));
    },

    async approve(workspaceId, name, version) {
      const row = await mustGet(workspaceId, name, version);
      await store.approve(workspaceId, name, version, row.manifest.permissions);
      await deps.changed();
      return summary(await mustGet(workspaceId, name, version));
    },

    async uninstall(workspaceId, name, version) {
      const row = await mustGet(workspaceId, name, version);
      const keys = new Set(row.manifest.nodes.map((n) => registryKey(n.type, n.version)));
      const users: { id: string; name: string }[] = [];
      for (const flow of await deps.flows.list(workspaceId, { limit: 10_000 })) {
        if (!flow.active || flow.activeVersion === null) continue;
        const document = await deps.flows.getVersion(workspaceId, flow.id, flow.activeVersion);
        if (document.nodes.some((n) => keys.has(registryKey(n.type, n.typeVersion)))) users.push({ id: flow.id, name: flow.name });
      }
      if (users.length > 0) {
        throw new ConflictError(`${name}@${version} is used by active flows: ${users.map((f) => `"${f.name}"`).join(', ')}; deactivate them or upgrade their nodes first`, users);
      }
      await store.remove(workspaceId, name, version);
      await deps.changed();
    },

    async upgradeFlowNodes(workspaceId, flowId, input) {
      const versions = (await store.list(workspaceId, input.plugin)).filter((row) => row.approved);
      const target = input.version !== undefined
        ? versions.find((row) => row.manifest.version === input.version)
        : versions.sort((a, b) => compareSemver(b.manifest.version, a.manifest.version))[0];
      if (!target) throw new NotFoundError('approved plugin', input.version ? `${input.plugin}@${input.version}` : input.plugin);
      const flow = await deps.flows.get(workspaceId, flowId);
      const latest = new Map(target.manifest.nodes.map((n) => [n.type, n.version]));
      const upgraded: { nodeId: string; type: string; from: number; to: number }[] = [];
      const problems: Problem[] = [];
      const nodes = flow.document.nodes.map((node) => {
        if (!node.type.startsWith(`${input.plugin}.`)) return node;
        const to = latest.get(node.type);
        if (to === undefined) {
          problems.push({ code: 'unknown_type', nodeId: node.id, message: `${input.plugin}@${target.manifest.version} has no node ${node.type}` });
          return node;
        }
        if (to !== node.typeVersion) upgraded.push({ nodeId: node.id, type: node.type, from: node.typeVersion, to });
        return { ...node, typeVersion: to };
      });
      if (problems.length > 0) throw invalid('some nodes cannot be upgraded', problems);
      if (upgraded.length === 0) return { flow, upgraded };
      // update() validates the whole document: props that the new version rejects come back as a 400.
      const saved = await deps.flows.update(workspaceId, flowId, { ...flow.document, nodes });
      return { flow: saved, upgraded };
    },
  };
  return service;
}
