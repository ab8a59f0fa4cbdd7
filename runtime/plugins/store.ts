import type { Knex } from 'knex';
import { pluginManifest, pluginPermissions, type PackedPlugin, type PluginManifest, type PluginPermissions } from '@switchyard/sdk/manifest';

/** One row of `plugins` (migration 003), parsed. */
export interface PluginRow {
  workspaceId: string;
  manifest: PluginManifest;
  bundle: string;
  integrity: string;
  /** Null until the owner approved the permissions. */
  approved: PluginPermissions | null;
  installedAt: Date;
}

interface RawRow {
  workspace_id: string;
  name: string;
  version: string;
  manifest: unknown;
  bundle: string;
  integrity: string;
  approved_permissions: unknown;
  installed_at: Date;
}

/** Rows are re-validated when read: a manifest is data from outside, whatever table it sits in. */
function parse(row: RawRow): PluginRow {
  return {
    workspaceId: row.workspace_id,
    manifest: pluginManifest.parse(row.manifest),
    bundle: row.bundle,
    integrity: row.integrity,
    approved: row.approved_permissions ? pluginPermissions.parse(row.approved_permissions) : null,
    installedAt: new Date(row.installed_at),
  };
}

/** Reads and writes `plugins`; every query but `allApproved` is scoped to a workspace. */
export class PluginStore {
  constructor(private readonly knex: Knex) {}

  /** Without the bundles (they can be large); `withBundle` for the loader. */
  async list(workspaceId: string, name?: string): Promise<PluginRow[]> {
    const query = this.knex<RawRow>('plugins').where({ workspace_id: workspaceId }).orderBy([{ column: 'name' }, { column: 'installed_at' }]);
    if (name !== undefined) void query.andWhere({ name });
    return (await query.select('*')).map(parse);
  }

  async get(workspaceId: string, name: string, version: string): Promise<PluginRow | undefined> {
    const row = await this.knex<RawRow>('plugins').where({ workspace_id: workspaceId, name, version }).first();
    return row ? parse(row) : undefined;
  }

  /** Every approved version in every workspace: what each process loads into its registry. */
  async allApproved(): Promise<PluginRow[]> {
    return (await this.knex<RawRow>('plugins').whereNotNull('approved_permissions').orderBy('installed_at')).map(parse);
  }

  async insert(workspaceId: string, packed: PackedPlugin, approved: PluginPermissions | null): Promise<void> {
    await this.knex('plugins').insert({
      workspace_id: workspaceId, name: packed.manifest.name, version: packed.manifest.version,
      manifest: JSON.stringify(packed.manifest), bundle: packed.bundle, integrity: packed.integrity,
      approved_permissions: approved ? JSON.stringify(approved) : null,
      approved_at: approved ? this.knex.fn.now() : null,
    });
  }

  async approve(workspaceId: string, name: string, version: string, approved: PluginPermissions): Promise<void> {
    await this.knex('plugins').where({ workspace_id: workspaceId, name, version })
      .update({ approved_permissions: JSON.stringify(approved), approved_at: this.knex.fn.now() });
  }

  async remove(workspaceId: string, name: string, version: string): Promise<void> {
    await this.knex('plugins').where({ workspace_id: workspaceId, name, version }).delete();
  }
}
