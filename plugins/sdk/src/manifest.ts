import { z } from 'zod';

/**
 * The plugin package format (`switchyard/plugin@1`): a manifest, one bundle and its integrity. The
 * manifest is what the owner approves and what the runtime trusts about the plugin; the bundle is
 * untrusted code that only ever runs in the sandbox. Both the packer and the installer validate
 * with these schemas, so they are the single source of the format.
 */

export const PLUGIN_FORMAT = 'switchyard/plugin@1';

/** A plugin name: lowercase, digits, dashes; it namespaces the plugin's node types. */
export const pluginName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes, starting with a letter or digit');

/** `MAJOR.MINOR.PATCH` with an optional pre-release (`-beta.1`); build metadata is not allowed. */
export const semver = z.string().regex(/^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?$/, 'a semantic version such as 1.2.3');

/** A declared network host: an exact name (`api.example.com`), an IP, or `*.example.com` for its subdomains. */
export const hostPattern = z.string().toLowerCase().regex(/^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$|^\[?[0-9a-f:.]+\]?$/, 'a host name, an IP address or *.domain');

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/i, 'letters, digits, dashes, underscores');

export const manifestNode = z.object({
  /** `<plugin-name>.<node>`. */
  type: z.string().regex(/^[a-z0-9][a-z0-9-]*\.[a-z0-9][a-z0-9-]*$/),
  /** Pinned by flows as `typeVersion`; bump it when props change incompatibly. */
  version: z.number().int().min(1),
  title: z.string().min(1).max(100),
  category: z.string().min(1).max(50),
  description: z.string().max(1000),
  icon: z.string().max(50).default('box'),
  /** Static ports only: plugin nodes cannot compute ports from props. */
  ports: z.object({ in: z.array(slug).max(10), out: z.array(slug).min(1).max(20) }),
  /** Credential slots, each accepting one or more kinds (all of them in `permissions.credentialKinds`). */
  credentials: z.record(slug, z.object({ kinds: z.array(z.string().min(1)).min(1), optional: z.boolean().default(false), title: z.string().optional() })).default({}),
  sideEffects: z.boolean().default(true),
  literalProps: z.array(z.string()).default([]),
  /** JSON Schema of the props (`z.toJSONSchema`, input side) with the `ui()` hints, made at pack time. */
  propsSchema: z.record(z.string(), z.unknown()),
});
export type ManifestNode = z.infer<typeof manifestNode>;

export const pluginPermissions = z.object({
  /** Hosts `ctx.http` may reach. The outbound guard still refuses private and metadata addresses. Default: none. */
  hosts: z.array(hostPattern).max(50).default([]),
  /** Credential kinds the plugin's slots may receive. Default: none. */
  credentialKinds: z.array(z.string().min(1).max(100)).max(20).default([]),
});
export type PluginPermissions = z.infer<typeof pluginPermissions>;

export const pluginManifest = z.object({
  format: z.literal(PLUGIN_FORMAT),
  name: pluginName,
  version: semver,
  description: z.string().max(1000).default(''),
  author: z.string().max(200).default(''),
  /** Oldest Switchyard version the plugin works with. */
  minSwitchyard: semver.default('0.1.0'),
  nodes: z.array(manifestNode).min(1).max(100),
  permissions: pluginPermissions,
}).superRefine((manifest, ctx) => {
  const seen = new Set<string>();
  manifest.nodes.forEach((node, index) => {
    if (!node.type.startsWith(`${manifest.name}.`)) {
      ctx.addIssue({ code: 'custom', path: ['nodes', index, 'type'], message: `node type "${node.type}" must start with the plugin name: "${manifest.name}."` });
    }
    const key = `${node.type}@${node.version}`;
    if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['nodes', index], message: `${key} is listed twice` });
    seen.add(key);
    for (const [slot, declared] of Object.entries(node.credentials)) {
      for (const kind of declared.kinds) {
        if (!manifest.permissions.credentialKinds.includes(kind)) {
          ctx.addIssue({ code: 'custom', path: ['nodes', index, 'credentials', slot], message: `credential kind "${kind}" is not in permissions.credentialKinds` });
        }
      }
    }
  });
});
export type PluginManifest = z.infer<typeof pluginManifest>;
export type PluginManifestInput = z.input<typeof pluginManifest>;

/** A packed plugin: what `switchyard plugin pack` writes and `POST /api/plugins` accepts. */
export const packedPlugin = z.object({
  manifest: pluginManifest,
  /** The esbuild iife bundle; it assigns `__switchyard_plugin` and imports nothing. */
  bundle: z.string().min(1).max(5 * 1024 * 1024),
  /** `sha256-<base64>` of the bundle's UTF-8 bytes. */
  integrity: z.string().regex(/^sha256-[A-Za-z0-9+/]{43}=$/),
});
export type PackedPlugin = z.infer<typeof packedPlugin>;

/** -1, 0 or 1 as `a` is older than, equal to or newer than `b` (pre-releases sort before their release). */
export function compareSemver(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.split('-', 2);
    return { parts: core.split('.').map(Number), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre < y.pre ? -1 : 1;
}
