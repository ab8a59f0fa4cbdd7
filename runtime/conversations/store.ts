import { timeOrderedId } from '../db/ids.js';
import type { Knex } from 'knex';
import type { ConversationMessage, DeliveryStatus, EmailContent, InboundEvent, MediaRef, OutboundMessageRecord } from '@switchyard/sdk';
import { prepare, runPrepared } from '../db/prepared.js';

/**
 * The conversation store's writes and reads (decision 030). Every write is one statement, run as a
 * prepared statement on Postgres: the store must cost well under a millisecond per message.
 */

/**
 * Where a delivery status stands: a status only ever moves forward (a `delivered` that arrives after
 * `read` changes nothing). `failed` is final. Inbound messages are `received` and take no statuses.
 */
const RANK = `array_position(array['received','queued','sent','delivered','read','failed']::text[], %s)`;
const rank = (column: string) => RANK.replace('%s', column);

/**
 * An outbound message's upsert into `conversation_messages as cm` (recordOutbound and the batch of
 * decision 044): a status webhook may have arrived first and left a `status_only` row, which the
 * message fills in, keeping the further of the two statuses. A full row is never overwritten.
 */
export const OUTBOUND_MESSAGE_CONFLICT = `on conflict (credential_id, provider_message_id) do update set
      contact_id = excluded.contact_id, text = excluded.text, message_type = excluded.message_type, media = excluded.media,
      choices = excluded.choices, email = excluded.email, execution_id = excluded.execution_id, step_key = excluded.step_key, created_at = excluded.created_at,
      status_only = false,
      status = case when ${rank('cm.status')} >= ${rank('excluded.status')} then cm.status else excluded.status end
    where cm.status_only`;

/** What an inbound message leaves in the store: the contact's flags that dispatch needs. */
export interface ContactState {
  contactRowId: string;
  automationPaused: boolean;
  /** Set when the editor's chat simulator plays this contact (decision 031): only that flow's draft runs. */
  simulation?: { sessionId: string; flowId: string; nodeId: string };
}

/** One inbound message of a batch for {@link recordInbound}. */
export interface InboundMessageRow {
  contactId: string;
  contactName?: string;
  providerMessageId: string;
  messageType: string;
  text?: string;
  media?: MediaRef[];
  choices?: { id: string; title?: string }[];
  /** An email's subject and text body (decision 042). */
  email?: EmailContent;
  /** Epoch ms. */
  at: number;
}

/**
 * Upserts the contacts and inserts the messages of one account in one statement; a message seen
 * before (a re-dispatch) is not inserted again. A contact who writes has not blocked the account
 * (any more). Returns each contact's row id and whether automation is paused for them.
 */
const RECORD_INBOUND = prepare('conv_record_inbound', `
  with input as (
    select * from jsonb_to_recordset(?::jsonb) as x(mid text, cid text, contact text, name text, body text, type text,
      media jsonb, choices jsonb, email jsonb, pmid text, at timestamptz)
  ), people as (
    select distinct on (contact) cid, contact, name, at from input order by contact, at desc
  ), c as (
    insert into contacts as ct (id, workspace_id, credential_id, channel, provider_contact_id, name, last_inbound_at, last_message_at)
    select cid, ?::text, ?::text, ?::text, contact, name, at, at from people
    on conflict (credential_id, provider_contact_id) do update set
      name = coalesce(excluded.name, ct.name), blocked = false,
      last_inbound_at = greatest(ct.last_inbound_at, excluded.last_inbound_at),
      last_message_at = greatest(ct.last_message_at, excluded.last_message_at)
    returning ct.id, ct.provider_contact_id, ct.automation_paused, ct.simulator_session_id, ct.simulator_flow_id, ct.simulator_node_id
  ), m as (
    insert into conversation_messages (id, workspace_id, credential_id, contact_id, direction, text, message_type, media, choices, email,
      provider_message_id, status, created_at)
    select i.mid, ?::text, ?::text, c.id, 'in', i.body, i.type, i.media, i.choices, i.email, i.pmid, 'received', i.at
    from input i join c on c.provider_contact_id = i.contact
    on conflict (credential_id, provider_message_id) do nothing
    returning 1
  )
  select id, provider_contact_id, automation_paused, simulator_session_id, simulator_flow_id, simulator_node_id,
    (select count(*) from m)::int as inserted from c`);

export async function recordInbound(
  knex: Knex,
  account: { workspaceId: string; credentialId: string; channel: string },
  messages: InboundMessageRow[],
): Promise<Map<string, ContactState>> {
  const input = messages.map((m) => ({
    mid: timeOrderedId(), cid: timeOrderedId(), contact: m.contactId, name: m.contactName ?? null, body: m.text ?? null, type: m.messageType,
    media: m.media ?? null, choices: m.choices ?? null, email: m.email ?? null, pmid: m.providerMessageId, at: new Date(m.at).toISOString(),
  }));
  const { workspaceId, credentialId, channel } = account;
  const { rows } = await runPrepared(knex, RECORD_INBOUND, [JSON.stringify(input), workspaceId, credentialId, channel, workspaceId, credentialId]);
  const states = new Map<string, ContactState>();
  for (const row of rows) {
    const state: ContactState = { contactRowId: String(row.id), automationPaused: row.automation_paused === true };
    if (typeof row.simulator_session_id === 'string' && typeof row.simulator_flow_id === 'string') {
      state.simulation = { sessionId: row.simulator_session_id, flowId: row.simulator_flow_id, nodeId: String(row.simulator_node_id) };
    }
    states.set(String(row.provider_contact_id), state);
  }
  return states;
}

/** An edited message (Telegram `edited_message`) replaces the stored text of the one it edits. Returns its thread (contact row id), if any. */
export async function recordEdit(knex: Knex, credentialId: string, providerMessageId: string, text: string | undefined): Promise<string | undefined> {
  const rows: { contact_id: string | null }[] = await knex('conversation_messages').where({ credential_id: credentialId, provider_message_id: providerMessageId })
    .update({ text: text ?? null }).returning('contact_id');
  return rows[0]?.contact_id ?? undefined;
}

/**
 * Applies a delivery status to an outbound message: only forward (see {@link RANK}). A status that
 * arrives before its message (the provider's status webhook overtook the send node's record) leaves
 * a `status_only` row that {@link recordOutbound} fills in, keeping the furthest status. Returns the
 * thread (contact row id) whose message changed, if one did.
 */
const APPLY_STATUS = prepare('conv_apply_status', `
  insert into conversation_messages as cm (id, workspace_id, credential_id, direction, message_type, provider_message_id, status, status_at, error, status_only, created_at)
  values (?::text, ?::text, ?::text, 'out', 'unknown', ?::text, ?::text, ?::timestamptz, ?::jsonb, true, ?::timestamptz)
  on conflict (credential_id, provider_message_id) do update set
    status = excluded.status, status_at = excluded.status_at, error = coalesce(excluded.error, cm.error)
  where ${rank('cm.status')} < ${rank('excluded.status')}
  returning cm.contact_id`);

export async function applyStatus(
  knex: Knex,
  account: { workspaceId: string; credentialId: string },
  status: NonNullable<InboundEvent['status']>,
): Promise<string | undefined> {
  const at = new Date(Number.isFinite(status.at) ? status.at : Date.now()).toISOString();
  const { rows } = await runPrepared(knex, APPLY_STATUS, [
    timeOrderedId(), account.workspaceId, account.credentialId, status.providerMessageId, status.status, at,
    status.error ? JSON.stringify(status.error) : null, at,
  ]);
  // No row: the status did not move forward. No contact: its message is not recorded yet (nothing to show).
  const contactId = rows[0]?.contact_id;
  return typeof contactId === 'string' ? contactId : undefined;
}

/**
 * Records an outbound message (idempotent by provider message id) with the execution and step that
 * sent it. The credential must belong to the workspace; the contact is created on first contact.
 */
const RECORD_OUTBOUND = prepare('conv_record_outbound', `
  with c as (
    insert into contacts as ct (id, workspace_id, credential_id, channel, provider_contact_id, last_message_at, last_read_at)
    select ?::text, cr.workspace_id, cr.id, cr.kind, ?::text, now(), case when ?::boolean then now() end
    from credentials cr where cr.id = ?::text and cr.workspace_id = ?::text
    on conflict (credential_id, provider_contact_id) do update set
      -- A reply within a second of the thread's last message leaves the indexed column as it is, so
      -- the update is HOT (no index writes): the inbox's order cannot tell the difference.
      last_message_at = case when excluded.last_message_at > ct.last_message_at + interval '1 second'
        then excluded.last_message_at else ct.last_message_at end,
      last_read_at = coalesce(excluded.last_read_at, ct.last_read_at)
    returning ct.id, ct.workspace_id, ct.credential_id
  ), m as (
    insert into conversation_messages as cm (id, workspace_id, credential_id, contact_id, direction, text, message_type, media, choices, email,
      provider_message_id, status, status_at, execution_id, step_key, created_at)
    select ?::text, c.workspace_id, c.credential_id, c.id, 'out', ?::text, ?::text, ?::jsonb, ?::jsonb, ?::jsonb, ?::text, ?::text, now(), ?::text, ?::text, now()
    from c
    ${OUTBOUND_MESSAGE_CONFLICT}
    returning 1
  )
  select (select id from c) as contact_id`);

/** Who sent an outbound message: a step of an execution, or a person in the inbox. */
export type OutboundSender = { executionId: string; stepKey: string } | { person: true };

/** Returns the thread (contact row id), or undefined when the credential is not the workspace's (nothing recorded). */
export async function recordOutbound(knex: Knex, workspaceId: string, message: OutboundMessageRecord, sender: OutboundSender): Promise<string | undefined> {
  const bySomeone = 'person' in sender;
  const { rows } = await runPrepared(knex, RECORD_OUTBOUND, [
    timeOrderedId(), message.contactId, bySomeone, message.credentialId, workspaceId,
    timeOrderedId(), message.text ?? null, message.messageType, message.media ? JSON.stringify(message.media) : null,
    message.choices ? JSON.stringify(message.choices) : null, message.email ? JSON.stringify(message.email) : null, message.providerMessageId, message.status ?? 'sent',
    bySomeone ? null : sender.executionId, bySomeone ? null : sender.stepKey,
  ]);
  const contactId = rows[0]?.contact_id;
  return typeof contactId === 'string' ? contactId : undefined;
}

const HISTORY = prepare('conv_history', `
  select m.direction, m.text, m.message_type, m.created_at, m.status, m.provider_message_id, m.media
  from contacts c join conversation_messages m on m.contact_id = c.id
  where c.workspace_id = ?::text and c.credential_id = ?::text and c.provider_contact_id = ?::text and not m.status_only
  order by m.created_at desc, m.id desc limit ?::int`);

/** The last `limit` messages with a contact on an account, oldest first. */
export async function history(knex: Knex, workspaceId: string, credentialId: string, contactId: string, limit: number): Promise<ConversationMessage[]> {
  const { rows } = await runPrepared(knex, HISTORY, [workspaceId, credentialId, contactId, Math.max(0, Math.floor(limit))]);
  return rows.reverse().map((row) => ({
    direction: row.direction === 'in' ? 'in' : 'out',
    text: typeof row.text === 'string' ? row.text : null,
    messageType: String(row.message_type),
    at: new Date(row.created_at as string).toISOString(),
    status: row.status as DeliveryStatus | 'received',
    providerMessageId: typeof row.provider_message_id === 'string' ? row.provider_message_id : null,
    ...(Array.isArray(row.media) ? { media: row.media as unknown as MediaRef[] } : {}),
  }));
}

const IS_SIMULATED = prepare('conv_is_simulated', `
  select 1 from contacts where workspace_id = ?::text and credential_id = ?::text and provider_contact_id = ?::text
    and simulator_session_id is not null`);

/** Whether the editor's chat simulator plays the contact (decision 031): sends to them stay in the store. */
export async function isSimulated(knex: Knex, workspaceId: string, credentialId: string, contactId: string): Promise<boolean> {
  const { rows } = await runPrepared(knex, IS_SIMULATED, [workspaceId, credentialId, contactId]);
  return rows.length > 0;
}

/** Contact ids asked about at once by {@link simulatedAccounts} at most (an email's recipients). */
const MAX_SIMULATED_LOOKUP = 1_000;

/**
 * Which of `contactIds` the chat simulator plays, on any account of the workspace, each with that
 * account's credential id (decision 042: an email is sent through SMTP but its simulated contact is
 * the IMAP mailbox's). The newest session's contact wins if one id was drawn twice. Real contacts
 * are not in the partial index this reads, so asking about them costs an index miss.
 */
export async function simulatedAccounts(knex: Knex, workspaceId: string, contactIds: readonly string[]): Promise<Map<string, string>> {
  const ids = [...new Set(contactIds)].slice(0, MAX_SIMULATED_LOOKUP);
  const found = new Map<string, string>();
  if (ids.length === 0) return found;
  const rows = await knex('contacts').where({ workspace_id: workspaceId }).whereIn('provider_contact_id', ids).whereNotNull('simulator_session_id')
    .orderBy('created_at', 'asc').select('provider_contact_id', 'credential_id');
  for (const row of rows) found.set(String(row.provider_contact_id), String(row.credential_id));
  return found;
}

export async function isPaused(knex: Knex, workspaceId: string, credentialId: string, contactId: string): Promise<boolean> {
  const row = await knex('contacts').where({ workspace_id: workspaceId, credential_id: credentialId, provider_contact_id: contactId }).first('automation_paused');
  return row?.automation_paused === true;
}

/** Marks a contact as having blocked the account; creates the contact if it is new. Returns its thread (contact row id). */
export async function markBlocked(knex: Knex, workspaceId: string, credentialId: string, contactId: string): Promise<string | undefined> {
  const result = await knex.raw(`
    insert into contacts as ct (id, workspace_id, credential_id, channel, provider_contact_id, blocked)
    select ?, cr.workspace_id, cr.id, cr.kind, ?, true from credentials cr where cr.id = ? and cr.workspace_id = ?
    on conflict (credential_id, provider_contact_id) do update set blocked = true
    returning ct.id`, [timeOrderedId(), contactId, credentialId, workspaceId]);
  const id = (result as { rows?: { id?: unknown }[] }).rows?.[0]?.id;
  return typeof id === 'string' ? id : undefined;
}
