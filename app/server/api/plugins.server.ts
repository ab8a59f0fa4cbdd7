import { z } from 'zod';
import { packedPlugin, pluginName, semver } from '@switchyard/sdk/manifest';
import { defineRoute, idParams, type Route } from '../route.server.js';

const tag = 'plugins';

/** `POST /api/plugins`: a packed plugin (what `switchyard plugin pack` writes) and whether to approve it at once. */
export const pluginInstallBody = packedPlugin.extend({
  /** Approve the permissions the manifest asks for in the same call. Default: false (approve separately). */
  approve: z.boolean().optional(),
});

const versionParams = z.object({ name: pluginName, version: semver });

export const upgradeNodesBody = z.object({
  /** Plugin whose nodes move. */
  plugin: pluginName,
  /** Target plugin version. Default: the newest approved one. */
  version: semver.optional(),
});

export const pluginRoutes: Route[] = [
  defineRoute({ method: 'get', path: '/plugins', tag, summary: 'Installed plugin versions with their nodes, requested permissions and approval' },
    async ({ runtime, principal }) => ({ body: await runtime.plugins.list(principal.workspaceId) })),

  defineRoute({
    method: 'post', path: '/plugins', tag, status: 201, body: pluginInstallBody, bodyName: 'PackedPlugin',
    summary: 'Install a packed plugin (manifest, bundle, integrity); 400 on a bad package, hash or manifest, 409 if installed',
  }, async ({ runtime, principal, body }) => {
    const { approve, ...packed } = body;
    return { status: 201, body: await runtime.plugins.install(principal.workspaceId, packed, { approve: approve === true }) };
  }),

  defineRoute({ method: 'post', path: '/plugins/:name/:version/approve', tag, params: versionParams, summary: 'Approve the permissions a plugin version asks for; its nodes become usable' },
    async ({ runtime, principal, params }) => ({ body: await runtime.plugins.approve(principal.workspaceId, params.name, params.version) })),

  defineRoute({ method: 'delete', path: '/plugins/:name/:version', tag, status: 204, params: versionParams, summary: 'Uninstall a plugin version (409 while an active flow uses it, naming the flows)' },
    async ({ runtime, principal, params }) => {
      await runtime.plugins.uninstall(principal.workspaceId, params.name, params.version);
      return { status: 204 };
    }),

  defineRoute({ method: 'post', path: '/flows/:id/upgrade-nodes', tag, params: idParams, body: upgradeNodesBody, summary: 'Move a flow\'s nodes of a plugin to another version (saves a new flow version; props re-validated)' },
    async ({ runtime, principal, params, body }) => ({ body: await runtime.plugins.upgradeFlowNodes(principal.workspaceId, params.id, body) })),
];
