import type { Knex } from 'knex';
import { toSummary, type EscalationRow } from './rows.js';
import type { EscalationDetail, EscalationListQuery, EscalationPage } from './types.js';

/** Messages of the escalated conversation shown with it. */
const CONVERSATION_MESSAGES = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function withFlowName(knex: Knex, workspaceId: string) {
  return knex('escalations as e').leftJoin('flows as f', 'f.id', 'e.flow_id')
    .where('e.workspace_id', workspaceId).select('e.*', 'f.name as flow_name');
}

/** A page of a workspace's escalations, newest first, filtered. */
export async function listEscalations(knex: Knex, workspaceId: string, query: EscalationListQuery): Promise<EscalationPage> {
  const limit = query.limit ?? 50;
  const q = withFlowName(knex, workspaceId);
  if (query.flowId) q.where('e.flow_id', query.flowId);
  if (query.status) q.where('e.status', query.status);
  if (query.assignee) q.whereRaw('exists (select 1 from jsonb_array_elements(e.assignees) a where a->>\'address\' = ?)', [query.assignee]);
  if (query.minAgeMinutes !== undefined) q.where('e.created_at', '<=', new Date(Date.now() - query.minAgeMinutes * 60_000));
  if (query.maxAgeMinutes !== undefined) q.where('e.created_at', '>=', new Date(Date.now() - query.maxAgeMinutes * 60_000));
  if (query.before) q.where('e.created_at', '<', new Date(query.before));
  const rows: EscalationRow[] = await q.orderBy([{ column: 'e.created_at', order: 'desc' }, { column: 'e.id', order: 'desc' }]).limit(limit + 1);
  const page = rows.slice(0, limit).map(toSummary);
  return { escalations: page, nextBefore: rows.length > limit ? page.at(-1)!.createdAt : null };
}

/** One escalation with the latest messages of its conversation; undefined when there is none. */
export async function getEscalation(knex: Knex, workspaceId: string, id: string): Promise<EscalationDetail | undefined> {
  if (!UUID.test(id)) return undefined;
  const row: EscalationRow | undefined = await withFlowName(knex, workspaceId).where('e.id', id).first();
  if (!row) return undefined;
  let conversation: EscalationDetail['conversation'] = null;
  if (row.conversation_id) {
    const contact = await knex('contacts').where({ id: row.conversation_id, workspace_id: workspaceId }).first('id', 'channel', 'provider_contact_id', 'name');
    if (contact) {
      const messages = await knex('conversation_messages').where({ contact_id: contact.id, status_only: false })
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(CONVERSATION_MESSAGES)
        .select('id', 'direction', 'text', 'message_type', 'created_at');
      conversation = {
        id: contact.id, channel: contact.channel, contactId: contact.provider_contact_id, contactName: contact.name ?? null,
        messages: messages.reverse().map((m) => ({ id: m.id, direction: m.direction, text: m.text, messageType: m.message_type, createdAt: new Date(m.created_at).toISOString() })),
      };
    }
  }
  return { ...toSummary(row), conversation };
}
