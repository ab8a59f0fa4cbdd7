import type { AnyNodeDefinition } from '@switchyard/sdk';
import { AppError } from '../errors.js';
import type { FlowDocument, FlowNode } from '../flow/document.js';
import { findNode, type NodeRegistry } from '../../nodes/index.js';
import type { NodeUpgrade } from './schema.js';

/**
 * A template (or file) written for node versions this installation cannot run: a type that is not
 * installed, or an older version no longer registered with no declared upgrade. Never retried.
 */
export class TemplateVersionError extends AppError {
  override name = 'TemplateVersionError';
  constructor(message: string, details: { nodeId: string; type: string; version: number; available: number[] }[]) {
    super(400, 'template_outdated', message, details);
  }
}

/** Registered versions of `type`, oldest first. */
function versionsOf(registry: NodeRegistry, type: string): AnyNodeDefinition[] {
  return Object.values(registry).filter((d) => d.type === type).sort((a, b) => a.version - b.version);
}

/**
 * Upgrades one node through its type's declared `upgrades` (v → v+1, one step at a time) to the
 * first registered version it reaches; undefined when no chain of upgrades gets there.
 */
function upgradeNode(node: FlowNode, registry: NodeRegistry, versions: AnyNodeDefinition[]): { node: FlowNode; to: number } | undefined {
  let props: Record<string, unknown> = node.props;
  let version = node.typeVersion;
  const newest = versions[versions.length - 1]!.version;
  while (version < newest) {
    // The step from `version` is declared by any registered version of the type (usually the newest).
    const step = versions.map((d) => d.upgrades?.[version]).find((fn) => fn !== undefined);
    if (!step) return undefined;
    props = step(props);
    version += 1;
    if (findNode(registry, node.type, version)) return { node: { ...node, typeVersion: version, props }, to: version };
  }
  return undefined;
}

/**
 * Brings every node of `document` to a version this installation runs. A node whose version is
 * registered is left alone; an older unregistered one is upgraded when its type says how; anything
 * else refuses the whole document with one 400 naming each node, its type and the versions.
 */
export function upgradeDocument(document: FlowDocument, registry: NodeRegistry): { document: FlowDocument; upgraded: NodeUpgrade[] } {
  const upgraded: NodeUpgrade[] = [];
  const refused: { nodeId: string; type: string; version: number; available: number[] }[] = [];
  const nodes = document.nodes.map((node) => {
    if (findNode(registry, node.type, node.typeVersion)) return node;
    const versions = versionsOf(registry, node.type);
    const result = versions.length > 0 && node.typeVersion < versions[versions.length - 1]!.version
      ? upgradeNode(node, registry, versions) : undefined;
    if (!result) {
      refused.push({ nodeId: node.id, type: node.type, version: node.typeVersion, available: versions.map((d) => d.version) });
      return node;
    }
    upgraded.push({ nodeId: node.id, type: node.type, from: node.typeVersion, to: result.to });
    return result.node;
  });
  if (refused.length > 0) {
    const parts = refused.map((r) => r.available.length === 0
      ? `node "${r.nodeId}" uses ${r.type} version ${r.version}, which is not installed (a plugin may provide it)`
      : `node "${r.nodeId}" was written for ${r.type} version ${r.version}; this installation has version ${r.available.join(', ')} and no upgrade from ${r.version}`);
    throw new TemplateVersionError(parts.join('; '), refused);
  }
  return { document: { ...document, nodes }, upgraded };
}
