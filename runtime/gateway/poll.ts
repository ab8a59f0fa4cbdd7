import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { InboundEvent, Json } from '@switchyard/sdk';
import { findUnstorable } from '../db/storable.js';
import type { PollJobData } from '../queue/jobs.js';
import type { Dispatcher } from './dispatch.js';
import { eventProblem, type EventRecorder, type RecordedEvent } from './events.js';
import type { ChannelTriggerLifecycle, ChannelTriggerRow } from './lifecycle.js';

/** Consecutive failed polls after which the trigger shows as failing in the flows list. */
export const FAILING_AFTER = 3;
/** How long one poll may run. */
const POLL_TIMEOUT_MS = 60_000;
/** Longest error message kept for the flows list. */
const MAX_ERROR_CHARS = 1_000;

export interface PollerDeps {
  knex: Knex;
  lifecycle: ChannelTriggerLifecycle;
  dispatcher: Dispatcher;
  log: Logger;
  recorder: EventRecorder;
  /** Stops a scheduler whose trigger Postgres no longer has. */
  removeScheduler(key: string): Promise<void>;
}

/**
 * A polling trigger's events into the gateway: recorded in one statement (an id the account has seen
 * is skipped: the dedupe), then queued for dispatch. A poll and the chat simulator's polled events
 * (decision 042) both come this way. Resolves with the new events once they are committed.
 */
export async function recordPolled(
  deps: { recorder: EventRecorder; dispatcher: Pick<Dispatcher, 'enqueue'> },
  account: { workspaceId: string; credentialId: string; channel: string },
  events: InboundEvent[],
): Promise<RecordedEvent[]> {
  const recorded = await deps.recorder.record(account, events);
  deps.dispatcher.enqueue(recorded);
  return recorded;
}

/**
 * One run of a polling trigger (a BullMQ job scheduler fires it every `intervalMs`): its cursor from
 * Postgres, `poll.run`, the events through the same record → dedupe → dispatch path as a delivery,
 * then the new cursor. Events are recorded before the cursor moves, so a crash in between polls the
 * same items again and the dedupe drops them. A poller that fails {@link FAILING_AFTER} times in a row
 * is marked failing (the flows list shows it) and keeps trying; a success clears it.
 */
export async function runPoll(deps: PollerDeps, data: PollJobData, repeatJobKey?: string): Promise<void> {
  const { knex } = deps;
  // A new scheduler runs its first job at once, while the activation that created it may still be
  // committing (it holds the flow's row lock until then): wait for that change before reading, or the
  // trigger looks gone and its scheduler is removed, so it never polls.
  await knex('flows').where({ id: data.flowId }).forShare().first('id');
  const row: ChannelTriggerRow | undefined = await knex('channel_triggers as t').join('flows as f', 'f.id', 't.flow_id')
    .where({ 't.flow_id': data.flowId, 't.node_id': data.nodeId, 'f.workspace_id': data.workspaceId, 'f.active': true })
    .whereNull('f.deleted_at').first('t.*');
  const found = row ? await deps.lifecycle.triggerOf(row) : undefined;
  if (!row || !found?.trigger.poll) {
    if (repeatJobKey) await deps.removeScheduler(repeatJobKey);
    return;
  }
  const state = await knex('trigger_cursors').where({ flow_id: row.flow_id, node_id: row.node_id }).first('cursor');
  const { ctx, redactor } = await deps.lifecycle.context(row.workspace_id, row.credential_id, POLL_TIMEOUT_MS);
  try {
    const result = await found.trigger.poll.run(ctx, found.props, (state?.cursor ?? null) as Json | null);
    const problem = eventProblem(result?.events) ?? (findUnstorable(result.cursor ?? null) ? 'the cursor cannot be stored' : undefined);
    if (problem) throw new Error(problem);
    const kind = await knex('credentials').where({ id: row.credential_id }).first('kind');
    await recordPolled(deps, { workspaceId: row.workspace_id, credentialId: row.credential_id, channel: kind?.kind ?? 'unknown' }, result.events);
    await knex('trigger_cursors').insert({
      flow_id: row.flow_id, node_id: row.node_id, workspace_id: row.workspace_id, cursor: JSON.stringify(result.cursor ?? null),
      consecutive_failures: 0, failing: false, last_error: null, last_success_at: knex.fn.now(),
    }).onConflict(['flow_id', 'node_id']).merge();
  } catch (error) {
    const message = redactor.redactString(error instanceof Error ? error.message : String(error)).slice(0, MAX_ERROR_CHARS);
    deps.log.warn({ flowId: row.flow_id, nodeId: row.node_id, error: message }, 'a polling trigger failed');
    await knex.raw(`
      insert into trigger_cursors (flow_id, node_id, workspace_id, consecutive_failures, failing, last_error, last_failure_at)
      values (?, ?, ?, 1, ?, ?, now())
      on conflict (flow_id, node_id) do update set
        consecutive_failures = trigger_cursors.consecutive_failures + 1,
        failing = trigger_cursors.consecutive_failures + 1 >= ?,
        last_error = excluded.last_error, last_failure_at = now()`,
    [row.flow_id, row.node_id, row.workspace_id, FAILING_AFTER <= 1, message, FAILING_AFTER]);
  }
}
