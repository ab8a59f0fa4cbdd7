import type { Knex } from 'knex';
import type { Json } from '@switchyard/sdk';
import { prepare, runPrepared } from '../db/prepared.js';

/**
 * Send-and-wait (decision 030): an execution parked by `ctx.channels.waitForReply` waits on the event
 * `channel:<credentialId>:<contactId>`. The contact's next message or callback resolves the OLDEST
 * such wait that was parked before the message arrived (and whose execution is still under way);
 * that message then starts no other flow.
 */

/** Which of these wait events have an unresolved wait: one query for a whole dispatch batch. */
const WAITING = prepare('gateway_waiting_keys', `
  select distinct event from execution_waits
  where event in (select jsonb_array_elements_text(?::jsonb)) and resolution is null`);

export async function waitingKeys(knex: Knex, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const { rows } = await runPrepared(knex, WAITING, [JSON.stringify([...new Set(keys)])]);
  return new Set(rows.map((row) => String(row.event)));
}

/**
 * Resolves the oldest wait on `key` with the event and marks the event dispatched, in one statement:
 * the event's move out of `pending` is what makes a second dispatch of it (the sweep, another
 * process) resolve nothing. A wait parked after the event arrived is not its reply (a flow this very
 * event started, which asked a question and waits). Skips waits another dispatch holds, so two
 * messages from one contact resolve two different waits. Returns the execution to continue.
 */
const CLAIM = prepare('gateway_claim_wait', `
  with w as (
    select ew.execution_id, ew.step_key from execution_waits ew
    where ew.event = ?::text and ew.resolution is null and ew.created_at <= to_timestamp(?::double precision / 1000)
      and exists (select 1 from executions e where e.id = ew.execution_id and e.status in ('queued', 'running', 'waiting'))
    order by ew.created_at, ew.execution_id, ew.step_key
    limit 1
    for update of ew skip locked
  ), done as (
    delete from pending_channel_events where event_id = ?::text and exists (select 1 from w)
    returning event_id
  ), ev as (
    update channel_events set status = 'dispatched' where id in (select event_id from done)
    returning id
  )
  update execution_waits ew set resolution = ?::jsonb, resolved_at = now()
  from w, ev where ew.execution_id = w.execution_id and ew.step_key = w.step_key
  returning ew.execution_id`);

export async function claimWait(knex: Knex, key: string, eventRowId: string, receivedAt: number, payload: Json): Promise<string | undefined> {
  const resolution = { kind: 'event', name: key, payload };
  const { rows } = await runPrepared(knex, CLAIM, [key, receivedAt, eventRowId, JSON.stringify(resolution)]);
  return rows[0] ? String(rows[0].execution_id) : undefined;
}
