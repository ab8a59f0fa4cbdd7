import type { AnyNodeDefinition } from './node.js';

/** What a plugin package's entry module exports as its default export. */
export interface PluginDefinition {
  /** The plugin's nodes; each `type` must start with the plugin's name and a dot (`acme-weather.forecast`). */
  nodes: readonly AnyNodeDefinition[];
}

/** Declares a plugin: `export default definePlugin({ nodes: [forecast] })`. */
export function definePlugin(definition: PluginDefinition): PluginDefinition {
  if (!Array.isArray(definition.nodes) || definition.nodes.length === 0) throw new Error('definePlugin: list at least one node in `nodes`');
  return definition;
}
