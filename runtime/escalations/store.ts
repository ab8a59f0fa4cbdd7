import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { EscalationAction, EscalationDecision, EscalationRequest, OpenedEscalation } from '@switchyard/sdk';
import { ConflictError, NotFoundError, ValidationError } from '../errors.js';
import type { EscalationLinks } from './links.js';
import { toSummary, type EscalationRow } from './rows.js';
import type { EscalationDecisionInput, EscalationNotificationRecord, EscalationSummary } from './types.js';

/** Who took a decision the deadline took. */
export const DEADLINE = 'the deadline';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The wait event an escalation's decision resolves. */
export function escalationEvent(id: string): string {
  return `escalation:${id}`;
}

/** The step an escalation belongs to. */
export interface EscalationScope {
  workspaceId: string;
  flowId: string;
  executionId: string;
  stepKey: string;
  nodeId: string;
}

/** A decision as the decision log gets it (decision 037). */
export interface DecidedEscalation {
  escalation: EscalationSummary;
  /** The asking step's key (its execution is the escalation's). */
  stepKey: string;
  decision: EscalationDecision;
}

export interface EscalationStoreOptions {
  knex: Knex;
  links: EscalationLinks;
  /** Queues the parked execution again once its wait is resolved. */
  resume(executionId: string): Promise<unknown>;
  /** Told of every decision after it is committed (the decision log). Default: nothing. */
  decided?(decided: DecidedEscalation): Promise<void>;
}

function decisionOf(row: EscalationRow): EscalationDecision {
  const summary = toSummary(row);
  if (summary.status === 'open' || !summary.action || !summary.decidedBy || !summary.decidedAt) throw new Error(`escalation ${row.id} is not decided`);
  return {
    escalationId: row.id, status: summary.status, action: summary.action, text: summary.finalText, draft: summary.draft,
    edited: summary.edited, decidedBy: summary.decidedBy, decidedAt: summary.decidedAt,
  };
}

/**
 * The escalations of every workspace (migration 012, decision 036). An escalation leaves `open`
 * once, by a conditional update: the first decision wins and every later one gets a 409 naming who
 * decided. A person's decision and the resolution of the step's wait are one transaction, so the
 * deadline (which claims the wait row for its timer) and a person cannot both win.
 */
export class EscalationStore {
  constructor(private readonly options: EscalationStoreOptions) {}

  private get knex(): Knex {
    return this.options.knex;
  }

  /** Creates the step's escalation, or returns the one it created on an earlier run. */
  async open(scope: EscalationScope, request: EscalationRequest): Promise<OpenedEscalation> {
    let conversationId: string | null = null;
    if (request.conversation) {
      const contact = await this.knex('contacts')
        .where({ workspace_id: scope.workspaceId, credential_id: request.conversation.credentialId, provider_contact_id: request.conversation.contactId })
        .first('id');
      conversationId = contact?.id ?? null;
    }
    await this.knex('escalations').insert({
      id: randomUUID(), workspace_id: scope.workspaceId, flow_id: scope.flowId, execution_id: scope.executionId, step_key: scope.stepKey,
      node_id: scope.nodeId, title: request.title, message: request.message ?? null, draft: request.draft ?? null,
      reasons: JSON.stringify(request.reasons), conversation_id: conversationId, assignees: JSON.stringify(request.assignees),
      deadline: new Date(request.deadline),
    }).onConflict(['execution_id', 'step_key']).ignore();
    const row: EscalationRow = await this.knex('escalations').where({ execution_id: scope.executionId, step_key: scope.stepKey }).first();
    const notifications = (row.notifications ?? []) as (EscalationNotificationRecord & { index: number })[];
    return {
      id: row.id, event: escalationEvent(row.id), status: toSummary(row).status, deadline: new Date(row.deadline).getTime(),
      link: this.options.links.linkFor(row.id), notified: notifications.filter((n) => n.ok).map((n) => n.index),
    };
  }

  /** Records how notifying assignee `index` went (a later try replaces an earlier one). */
  async notified(workspaceId: string, id: string, index: number, outcome: { ok: boolean; error?: string }): Promise<void> {
    await this.knex.transaction(async (trx) => {
      const row: EscalationRow | undefined = await trx('escalations').where({ id, workspace_id: workspaceId }).forUpdate().first('assignees', 'notifications');
      if (!row) throw new NotFoundError('escalation', id);
      const assignee = row.assignees[index];
      if (!assignee) throw new Error(`escalation ${id} has no assignee ${index}`);
      const entry = { index, ...assignee, ok: outcome.ok, ...(outcome.error ? { error: outcome.error } : {}), at: new Date().toISOString() };
      const notifications = [...(row.notifications as { index: number }[]).filter((n) => n.index !== index), entry];
      await trx('escalations').where({ id }).update({ notifications: JSON.stringify(notifications) });
    });
  }

  /** Ends an escalation nobody decided at its deadline; returns the decision that stands (a person's, if one came first). */
  async expire(workspaceId: string, id: string): Promise<EscalationDecision> {
    const [expired]: EscalationRow[] = await this.knex('escalations').where({ id, workspace_id: workspaceId, status: 'open' })
      .update({ status: 'timeout', action: 'timeout', decided_by: DEADLINE, decided_at: new Date() }).returning('*');
    const row: EscalationRow | undefined = expired ?? await this.knex('escalations').where({ id, workspace_id: workspaceId }).first();
    if (!row) throw new NotFoundError('escalation', id);
    const decision = decisionOf(row);
    if (expired) await this.options.decided?.({ escalation: toSummary(row), stepKey: row.step_key, decision });
    return decision;
  }

  /**
   * A person's decision: taken once (409 "already decided by …" for every later one), stored next to
   * the draft, and handed to the parked step by resolving its wait. Unknown id: 404.
   */
  async decide(workspaceId: string, id: string, input: EscalationDecisionInput, decidedBy: string): Promise<EscalationSummary> {
    if (!UUID.test(id)) throw new NotFoundError('escalation', id);
    const current: EscalationRow | undefined = await this.knex('escalations').where({ id, workspace_id: workspaceId }).first();
    if (!current) throw new NotFoundError('escalation', id);
    if (current.status !== 'open') throw alreadyDecided(current);
    // A cancelled, finished or deleted execution has no step left to resume: say so rather than record a decision nobody acts on.
    const execution = await this.knex('executions').where({ id: current.execution_id }).first('status');
    if (!execution || !['queued', 'running', 'waiting'].includes(execution.status)) {
      throw new ConflictError(`the execution behind this escalation is ${execution?.status ?? 'deleted'}: nothing waits for a decision`);
    }
    const draft = current.draft;
    const text = input.action === 'reject' ? null : input.text ?? draft;
    if (text === null && input.action !== 'reject') {
      throw new ValidationError('there is no draft to approve: send the reply as text', [{ code: 'required', path: ['text'], message: 'there is no draft to approve: write the text' }]);
    }
    const action: EscalationAction = input.action === 'reject' ? 'reject' : input.action === 'reply' ? 'reply' : text === draft ? 'approve' : 'edit';
    const outcome = await this.knex.transaction(async (trx): Promise<{ lost: EscalationRow } | { won: EscalationRow; decision: EscalationDecision }> => {
      const [row]: EscalationRow[] = await trx('escalations').where({ id, workspace_id: workspaceId, status: 'open' })
        .update({ status: action === 'reject' ? 'rejected' : 'approved', action, final_text: text, decided_by: decidedBy, decided_at: new Date() })
        .returning('*');
      if (!row) {
        const lost: EscalationRow = await trx('escalations').where({ id }).first();
        return { lost };
      }
      const decision = decisionOf(row);
      const resolution = { kind: 'event', name: escalationEvent(id), payload: decision };
      // Inserted when the step has not parked yet (a decision faster than the step's commit): the
      // park keeps a resolution it finds. A wait the timer already claimed is left alone.
      const resolved = await trx('execution_waits')
        .insert({ execution_id: row.execution_id, step_key: row.step_key, workspace_id: workspaceId, event: escalationEvent(id), resolution: JSON.stringify(resolution), resolved_at: new Date() })
        .onConflict(['execution_id', 'step_key']).merge(['resolution', 'resolved_at'])
        .where('execution_waits.resolution', null)
        .returning('execution_id');
      if (resolved.length === 0) {
        // The deadline got there first: the flow goes on at timeout, and so does the escalation.
        const [timedOut]: EscalationRow[] = await trx('escalations').where({ id })
          .update({ status: 'timeout', action: 'timeout', final_text: null, decided_by: DEADLINE, decided_at: new Date() }).returning('*');
        return { lost: timedOut as EscalationRow };
      }
      return { won: row, decision };
    });
    if ('lost' in outcome) throw alreadyDecided(outcome.lost);
    await this.options.resume(outcome.won.execution_id);
    const escalation = toSummary(outcome.won);
    await this.options.decided?.({ escalation, stepKey: outcome.won.step_key, decision: outcome.decision });
    return escalation;
  }
}

function alreadyDecided(row: EscalationRow): ConflictError {
  const what = row.status === 'timeout' ? 'timed out' : row.status;
  return new ConflictError(`already decided by ${row.decided_by ?? DEADLINE} (${what})`, [{ status: row.status, decidedBy: row.decided_by, decidedAt: row.decided_at }]);
}
