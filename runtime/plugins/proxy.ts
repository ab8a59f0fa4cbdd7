import { NodeError, NonRetryableError, defineNode, type AnyNodeDefinition, type CredentialSlot, type Json } from '@switchyard/sdk';
import type { ManifestNode, PackedPlugin, PluginPermissions } from '@switchyard/sdk/manifest';
import { z } from 'zod';
import { SandboxError, type SandboxPool } from '../sandbox/pool.js';
import { pluginCredentials, pluginHttp } from './bridge.js';

/** An installed, approved plugin version as the registry needs it. */
export interface LoadedPlugin extends PackedPlugin {
  /** What the owner approved; never more than the manifest asks for. */
  approved: PluginPermissions;
}

/** Props JSON Schemas of plugin proxy nodes, for the catalog (the zod schema built from it loses `ui()` hints). */
const pluginSchemas = new WeakMap<AnyNodeDefinition, Record<string, unknown>>();

/** The props JSON Schema a plugin declared for `definition`, or undefined for built-in nodes. */
export function pluginPropsSchema(definition: AnyNodeDefinition): Record<string, unknown> | undefined {
  return pluginSchemas.get(definition);
}

/** A zod schema from the manifest's JSON Schema; one the runtime cannot read validates as "any object". */
function propsValidator(schema: Record<string, unknown>): z.ZodType {
  try {
    return z.fromJSONSchema(schema);
  } catch {
    return z.record(z.string(), z.unknown());
  }
}

export interface PluginNodeOptions {
  /** The pool plugin calls run in (a pool of their own, so a slow plugin never delays expressions). */
  pool: () => SandboxPool;
  /** CPU time per call in the isolate. Default: the pool's. */
  cpuMs?: number;
  /** Wall-clock time per call including HTTP waits. Default: 30 000 ms. */
  wallMs?: number;
}

/**
 * The registry entry of one plugin node: validates props with the manifest's JSON Schema and runs
 * the node's code in the sandbox, with HTTP and credentials limited to what the owner approved.
 */
export function createPluginNode(plugin: LoadedPlugin, node: ManifestNode, options: PluginNodeOptions): AnyNodeDefinition {
  const label = `${plugin.manifest.name}@${plugin.manifest.version}`;
  const credentials: Record<string, CredentialSlot> = Object.fromEntries(Object.entries(node.credentials).map(([slot, c]) => [slot, {
    kind: c.kinds.length === 1 ? c.kinds[0] ?? '' : c.kinds, optional: c.optional, ...(c.title ? { title: c.title } : {}),
  }]));
  const definition = defineNode({
    type: node.type,
    version: node.version,
    title: node.title,
    category: node.category,
    description: node.description,
    icon: node.icon,
    props: propsValidator(node.propsSchema),
    credentials,
    ports: { in: node.ports.in, out: node.ports.out },
    sideEffects: node.sideEffects,
    literalProps: node.literalProps,
    async run(ctx, input, props) {
      const outcome = await options.pool().runPlugin({
        plugin: { integrity: plugin.integrity, bundle: plugin.bundle },
        node: `${node.type}@${node.version}`,
        data: {
          props: props as Json, input,
          credentials: pluginCredentials(node, plugin.approved.credentialKinds, ctx.credentials),
          meta: {
            executionId: ctx.executionId, flowId: ctx.flowId, workspaceId: ctx.workspaceId, nodeId: ctx.nodeId,
            attempt: ctx.attempt, idempotencyKey: ctx.idempotencyKey,
          },
        },
        ...(options.cpuMs !== undefined ? { timeoutMs: options.cpuMs } : {}),
        wallMs: options.wallMs ?? 30_000,
        http: pluginHttp({ plugin: label, hosts: plugin.approved.hosts, client: ctx.http, signal: ctx.signal }),
      }).catch((error: unknown) => {
        if (error instanceof SandboxError) throw new NonRetryableError(`plugin ${label}: ${error.message}`, { code: error.code });
        throw error;
      });
      for (const line of outcome.logs) ctx.log.info(line, { plugin: label, nodeId: ctx.nodeId });
      if (!outcome.ok) {
        const ErrorClass = outcome.retryable ? NodeError : NonRetryableError;
        throw new ErrorClass(`plugin ${label}: ${outcome.message}`, { code: outcome.code });
      }
      const result = outcome.result;
      if (typeof result !== 'object' || result === null || Array.isArray(result)) {
        throw new NonRetryableError(`plugin ${label}: ${node.type} must return an object of messages by port`, { code: 'invalid_output' });
      }
      return result;
    },
  });
  pluginSchemas.set(definition, node.propsSchema);
  return definition;
}
