import type { Knex } from 'knex';
import type { PruneOptions } from '../services/retention.js';

/**
 * Deletes conversation messages and handled channel events older than `maxAgeDays` (the executions
 * retention, `SWITCHYARD_EXECUTIONS_MAX_AGE_DAYS`), in batches per workspace like executions
 * (decision 022). Contacts stay: they hold the inbox's flags (paused, blocked). Events still pending
 * are kept whatever their age. Returns how many rows it deleted.
 */
export async function pruneConversations(knex: Knex, options: PruneOptions): Promise<{ messages: number; channelEvents: number }> {
  const cutoff = new Date(Date.now() - options.maxAgeDays * 86_400_000);
  const batchSize = options.batchSize ?? 1_000;
  const maxBatches = options.maxBatches ?? 100;
  let messages = 0;
  let channelEvents = 0;
  for (const workspaceId of await knex('workspaces').pluck('id')) {
    for (const [table, column, counted] of [['conversation_messages', 'created_at', 'messages'], ['channel_events', 'received_at', 'events']] as const) {
      for (let batch = 0; batch < maxBatches; batch++) {
        const oldest = knex(table).select('id').where('workspace_id', workspaceId).where(column, '<', cutoff).limit(batchSize);
        if (table === 'channel_events') oldest.whereNot('status', 'pending');
        const deleted = (await knex(table).whereIn('id', oldest).delete().returning('id')).length;
        if (counted === 'messages') messages += deleted;
        else channelEvents += deleted;
        if (deleted < batchSize) break;
      }
    }
  }
  return { messages, channelEvents };
}
