import { timeOrderedId } from '../db/ids.js';
import type { OutboundMessageRecord } from '@switchyard/sdk';
import { OUTBOUND_MESSAGE_CONFLICT } from './store.js';

/**
 * A step's outbound messages recorded by the step's own commit (decision 044): the send node's
 * `ctx.channels.recordOutbound` hands its record to the execution's StepWriter, whose next statement
 * (the flush before the next step, or the run's final one) carries these CTEs. An echo flow then
 * commits once per message instead of twice, and the message and the step that sent it land
 * together or not at all.
 */
export interface PendingOutbound {
  message: OutboundMessageRecord;
  stepKey: string;
}

/**
 * Three CTEs (`ob`, `ob_c`, `ob_m`) to put after other CTEs of a statement, taking one `?`
 * parameter: the rows (JSON from {@link outboundRows}), each naming its workspace and execution, so
 * one statement can carry the sends of several executions (the worker's group commit). `ob_c` holds
 * the threads (contact row ids) written. The same writes as `recordOutbound` for a step's send, on a
 * batch: a contact or a provider message id that occurs twice in the batch is written once (Postgres
 * refuses to upsert one row twice in a statement). Accounts that are not the workspace's credentials
 * record nothing (the executor defers only accounts it loaded as such).
 */
export const OUTBOUND_CTES = `
  ob as (
    select * from jsonb_to_recordset(?::jsonb) as x(cid text, mid text, credential text, contact text, body text, type text,
      media jsonb, choices jsonb, email jsonb, pmid text, status text, step text, ws text, xid text)
  ), ob_c as (
    insert into contacts as ct (id, workspace_id, credential_id, channel, provider_contact_id, last_message_at)
    select distinct on (o.credential, o.contact) o.cid, cr.workspace_id, cr.id, cr.kind, o.contact, now()
    from ob o join credentials cr on cr.id = o.credential and cr.workspace_id = o.ws
    order by o.credential, o.contact
    on conflict (credential_id, provider_contact_id) do update set
      -- As recordOutbound: a reply within a second of the thread's last message keeps the update HOT.
      last_message_at = case when excluded.last_message_at > ct.last_message_at + interval '1 second'
        then excluded.last_message_at else ct.last_message_at end
    returning ct.id, ct.workspace_id, ct.credential_id, ct.provider_contact_id
  ), ob_m as (
    insert into conversation_messages as cm (id, workspace_id, credential_id, contact_id, direction, text, message_type, media, choices, email,
      provider_message_id, status, status_at, execution_id, step_key, created_at)
    select distinct on (o.credential, o.pmid) o.mid, c.workspace_id, c.credential_id, c.id, 'out', o.body, o.type, o.media, o.choices, o.email,
      o.pmid, o.status, now(), o.xid, o.step, now()
    from ob o join ob_c c on c.credential_id = o.credential and c.provider_contact_id = o.contact
    order by o.credential, o.pmid
    ${OUTBOUND_MESSAGE_CONFLICT}
    returning 1
  )`;

/** One row of the {@link OUTBOUND_CTES} parameter. */
export type OutboundRow = ReturnType<typeof outboundRows>[number];

/** The rows of {@link OUTBOUND_CTES}' parameter for one execution's pending records. */
export function outboundRows(pending: readonly PendingOutbound[], workspaceId: string, executionId: string) {
  return pending.map(({ message, stepKey }) => ({
    cid: timeOrderedId(), mid: timeOrderedId(), credential: message.credentialId, contact: message.contactId, body: message.text ?? null,
    type: message.messageType, media: message.media ?? null, choices: message.choices ?? null, email: message.email ?? null,
    pmid: message.providerMessageId, status: message.status ?? 'sent', step: stepKey, ws: workspaceId, xid: executionId,
  }));
}
