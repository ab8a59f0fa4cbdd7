import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { EmailContent, Json } from '@switchyard/sdk';
import { AppError, NotFoundError } from '../errors.js';
import type { ChannelTriggerLifecycle } from '../gateway/lifecycle.js';
import type { AccountCache } from '../gateway/accounts.js';
import type {
  ConversationListQuery, ConversationMessageRecord, ConversationService, ConversationSummary,
} from '../services/types.js';
import type { ConversationFeed } from './live.js';
import type { SharedRateLimiter } from './rate-limit.js';
import { recordOutbound } from './store.js';

export interface ConversationServiceDeps {
  knex: Knex;
  accounts: AccountCache;
  lifecycle: ChannelTriggerLifecycle;
  limiter: SharedRateLimiter;
  /** Open inboxes hear replies, pauses and reads, and `watch` follows them. */
  feed: ConversationFeed;
}

/** Longest text a person can send from the inbox (providers refuse or split beyond their own limits). */
const MAX_REPLY_CHARS = 4096;

const MESSAGE_COLUMNS = ['id', 'direction', 'text', 'message_type', 'media', 'choices', 'status', 'status_at', 'error',
  'provider_message_id', 'execution_id', 'step_key', 'created_at'] as const;
/** A thread's messages also carry an email's parts (decision 042); thread lists' last message does not. */
const DETAIL_COLUMNS = [...MESSAGE_COLUMNS, 'email'] as const;

interface MessageRow {
  id: string;
  direction: 'in' | 'out';
  text: string | null;
  message_type: string;
  media: Json | null;
  choices: Json | null;
  /** Absent in thread lists' last message (an HTML body is not worth carrying there). */
  email?: EmailContent | null;
  status: string;
  status_at: Date | null;
  error: Json | null;
  provider_message_id: string;
  execution_id: string | null;
  step_key: string | null;
  created_at: Date;
}

interface ThreadRow {
  id: string;
  channel: string;
  credential_id: string;
  account_name: string | null;
  provider_contact_id: string;
  name: string | null;
  automation_paused: boolean;
  blocked: boolean;
  /** Played by the editor's chat simulator (decision 031). */
  simulated: boolean;
  last_message_at: Date;
  last_inbound_at: Date | null;
  unread: number | string;
  last_message: (Omit<MessageRow, 'created_at' | 'status_at'> & { created_at: string; status_at: string | null }) | null;
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

function toMessage(row: MessageRow | NonNullable<ThreadRow['last_message']>): ConversationMessageRecord {
  return {
    id: row.id, direction: row.direction, text: row.text, messageType: row.message_type, media: row.media ?? null, choices: row.choices ?? null,
    email: row.email ?? null,
    status: row.status, statusAt: iso(row.status_at), error: row.error ?? null, providerMessageId: row.provider_message_id,
    executionId: row.execution_id, stepKey: row.step_key, createdAt: iso(row.created_at)!,
  };
}

function toSummary(row: ThreadRow): ConversationSummary {
  return {
    id: row.id, channel: row.channel, accountId: row.credential_id, accountName: row.account_name,
    contact: { id: row.provider_contact_id, name: row.name }, lastMessage: row.last_message ? toMessage(row.last_message) : null,
    unread: Number(row.unread), automationPaused: row.automation_paused, blocked: row.blocked, simulated: row.simulated === true,
    lastMessageAt: iso(row.last_message_at)!, lastInboundAt: iso(row.last_inbound_at),
  };
}

/** An ISO time from a query, or a 400 naming the parameter. */
function isoParam(name: string, value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError(400, 'invalid_query', `"${name}" must be an ISO date, e.g. 2024-05-01T00:00:00Z`);
  return date;
}

/** The latest `limit` messages of a thread (a contact row), oldest first. */
export async function threadMessages(knex: Knex, workspaceId: string, contactRowId: string, limit: number): Promise<ConversationMessageRecord[]> {
  const rows = (await knex('conversation_messages').where({ contact_id: contactRowId, workspace_id: workspaceId, status_only: false })
    .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit).select(...DETAIL_COLUMNS)) as MessageRow[];
  return rows.reverse().map(toMessage);
}

/** The conversation inbox (decision 030): threads are contacts, newest message first. */
export function createConversationService(deps: ConversationServiceDeps): ConversationService {
  const { knex } = deps;

  function threads(workspaceId: string) {
    return knex('contacts as c').leftJoin('credentials as cr', 'cr.id', 'c.credential_id').where('c.workspace_id', workspaceId)
      .select('c.id', 'c.channel', 'c.credential_id', 'cr.name as account_name', 'c.provider_contact_id', 'c.name', 'c.automation_paused',
        'c.blocked', 'c.last_message_at', 'c.last_inbound_at', knex.raw('(c.simulator_session_id is not null) as simulated'),
        knex.raw(`(select count(*) from conversation_messages m where m.contact_id = c.id and m.direction = 'in'
                   and m.created_at > coalesce(c.last_read_at, '-infinity'::timestamptz)) as unread`),
        knex.raw(`(select row_to_json(l) from (select ${MESSAGE_COLUMNS.map((col) => `m.${col}`).join(', ')} from conversation_messages m
                   where m.contact_id = c.id and not m.status_only order by m.created_at desc, m.id desc limit 1) l) as last_message`));
  }

  async function thread(workspaceId: string, id: string): Promise<ThreadRow> {
    const row = await threads(workspaceId).where('c.id', id).first();
    if (!row) throw new NotFoundError('conversation', id);
    return row as ThreadRow;
  }

  return {
    async list(workspaceId, query: ConversationListQuery = {}) {
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
      const q = threads(workspaceId).orderBy([{ column: 'c.last_message_at', order: 'desc' }, { column: 'c.id', order: 'desc' }]).limit(limit);
      if (query.channel) q.where('c.channel', query.channel);
      const before = isoParam('before', query.before);
      if (before) q.where('c.last_message_at', '<', before);
      if (query.q?.trim()) {
        // A substring, not a pattern: the user's % and _ match themselves.
        const pattern = `%${query.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        q.where((w) => w.whereILike('c.name', pattern).orWhereILike('c.provider_contact_id', pattern).orWhereILike('cr.name', pattern));
      }
      if (query.status === 'paused') q.where('c.automation_paused', true);
      if (query.status === 'blocked') q.where('c.blocked', true);
      if (query.status === 'automated') q.where({ 'c.automation_paused': false, 'c.blocked': false });
      if (query.status === 'unread') {
        q.whereExists(knex('conversation_messages as m').whereRaw('m.contact_id = c.id').where('m.direction', 'in')
          .whereRaw(`m.created_at > coalesce(c.last_read_at, '-infinity'::timestamptz)`).select(knex.raw('1')));
      }
      return ((await q) as ThreadRow[]).map(toSummary);
    },

    async get(workspaceId, id, query = {}) {
      const summary = toSummary(await thread(workspaceId, id));
      const limit = Math.min(Math.max(query.limit ?? 50, 1), 200);
      const before = isoParam('before', query.before);
      const q = knex('conversation_messages').where({ contact_id: id, workspace_id: workspaceId, status_only: false })
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit + 1).select(...DETAIL_COLUMNS);
      if (before) q.where('created_at', '<', before);
      const rows = (await q) as MessageRow[];
      const page = rows.slice(0, limit).reverse();
      // Opening a thread in the inbox is reading it.
      await knex('contacts').where({ id, workspace_id: workspaceId }).update({ last_read_at: knex.fn.now() });
      // Other inboxes drop the unread badge (an open thread does not refetch on `read`, or it would loop).
      if (summary.unread > 0) deps.feed.changed(workspaceId, id, 'read');
      return { ...summary, unread: 0, messages: page.map(toMessage), nextBefore: rows.length > limit ? iso(page[0]!.created_at) : null };
    },

    async reply(workspaceId, id, text) {
      const trimmed = text.trim();
      if (!trimmed) throw new AppError(400, 'validation_failed', 'the reply is empty', [{ path: ['body', 'text'], message: 'type a message' }]);
      if (trimmed.length > MAX_REPLY_CHARS) throw new AppError(400, 'validation_failed', `a reply is at most ${MAX_REPLY_CHARS} characters`, [{ path: ['body', 'text'], message: 'too long' }]);
      const row = await thread(workspaceId, id);
      if (row.simulated) {
        // The chat simulator's contact (decision 031): the reply shows in the simulator, no provider is called.
        const providerMessageId = `sim-${randomUUID()}`;
        await recordOutbound(knex, workspaceId, { credentialId: row.credential_id, contactId: row.provider_contact_id, providerMessageId, messageType: 'text', text: trimmed }, { person: true });
        deps.feed.changed(workspaceId, id, 'message');
        const stored = await knex('conversation_messages').where({ credential_id: row.credential_id, provider_message_id: providerMessageId }).first(...DETAIL_COLUMNS);
        return toMessage(stored as MessageRow);
      }
      const found = await deps.accounts.forWorkspace(workspaceId, row.credential_id);
      if (!found) throw new AppError(409, 'account_gone', 'the account of this conversation no longer exists');
      const replyText = found.definition.replyText;
      if (!replyText) throw new AppError(400, 'not_supported', `replies from the inbox are not available for ${found.definition.title} accounts`);
      const { ctx, redactor } = await deps.lifecycle.context(workspaceId, row.credential_id);
      const last = await knex('conversation_messages').where({ contact_id: id, direction: 'in', status_only: false })
        .orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).first('provider_message_id', 'email');
      const answering = last ? { lastInbound: { providerMessageId: String(last.provider_message_id), ...(last.email ? { email: last.email } : {}) } } : {};
      let providerMessageId: string;
      try {
        ({ providerMessageId } = await replyText.call(found.definition, { ...ctx, acquire: (key, perSecond) => deps.limiter.acquire(key, perSecond, ctx.signal) }, row.provider_contact_id, trimmed, answering));
      } catch (error) {
        const reason = redactor.redactString(error instanceof Error ? error.message : String(error));
        // The account lacks what replies need (decision 047): the person can fix that, the provider refused nothing.
        if (error instanceof Error && (error as { code?: unknown }).code === 'reply_not_configured') throw new AppError(400, 'not_supported', reason);
        throw new AppError(502, 'provider_error', `the provider refused the message: ${reason}`);
      }
      await recordOutbound(knex, workspaceId, { credentialId: row.credential_id, contactId: row.provider_contact_id, providerMessageId, messageType: 'text', text: trimmed }, { person: true });
      deps.feed.changed(workspaceId, id, 'message');
      const stored = await knex('conversation_messages').where({ credential_id: row.credential_id, provider_message_id: providerMessageId }).first(...DETAIL_COLUMNS);
      return toMessage(stored as MessageRow);
    },

    async setAutomation(workspaceId, id, paused) {
      const updated = await knex('contacts').where({ id, workspace_id: workspaceId }).update({ automation_paused: paused }).returning('id');
      if (updated.length === 0) throw new NotFoundError('conversation', id);
      deps.feed.changed(workspaceId, id, 'automation');
      return toSummary(await thread(workspaceId, id));
    },

    watch: (workspaceId, listener) => deps.feed.watch(workspaceId, listener),
  };
}
