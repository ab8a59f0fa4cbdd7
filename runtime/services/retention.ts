import type { Knex } from 'knex';

export interface PruneOptions {
  /** Finished executions created before this many days ago are deleted. */
  maxAgeDays: number;
  /** Rows per delete statement, each its own short transaction. Default: 1 000. */
  batchSize?: number;
  /** Stop after this many batches; the next run goes on. Default: 100. */
  maxBatches?: number;
}

const FINISHED = ['succeeded', 'failed', 'cancelled'];

/**
 * Deletes finished executions (succeeded, failed, cancelled) older than `maxAgeDays` — their steps
 * and waits go with them by foreign key — then the inbound events (the webhook log kept for
 * provider-event deduplication) as old. Executions still queued, running or waiting are kept
 * whatever their age. Workers pruning at the same moment only find fewer rows. Returns how many
 * rows it deleted.
 */
export async function pruneExecutions(knex: Knex, options: PruneOptions): Promise<{ executions: number; inboundEvents: number }> {
  const cutoff = new Date(Date.now() - options.maxAgeDays * 86_400_000);
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 100;
  // Counted from `returning`: knex's plain delete count is a number on pg but a result object on PGlite.
  let executions = 0;
  // Per workspace, so the (workspace_id, created_at) index finds the old rows without a table scan.
  for (const workspaceId of await knex('workspaces').pluck('id')) {
    for (let batch = 0; batch < maxBatches; batch++) {
      const oldest = knex('executions').select('id').where('workspace_id', workspaceId).where('created_at', '<', cutoff)
        .whereIn('status', FINISHED).limit(batchSize);
      const deleted = (await knex('executions').whereIn('id', oldest).delete().returning('id')).length;
      executions += deleted;
      if (deleted < batchSize) break;
    }
  }
  const inboundEvents = (await knex('inbound_events').where('received_at', '<', cutoff).delete().returning('id')).length;
  return { executions, inboundEvents };
}
