import type { EscalationAction, EscalationAssignee, EscalationStatus } from '@switchyard/sdk';
import type { EscalationNotificationRecord, EscalationSummary } from './types.js';

/** An `escalations` row as knex returns it (with the flow's name when joined). */
export interface EscalationRow {
  id: string;
  workspace_id: string;
  flow_id: string;
  flow_name?: string | null;
  execution_id: string;
  step_key: string;
  node_id: string;
  status: string;
  title: string;
  message: string | null;
  draft: string | null;
  reasons: string[];
  conversation_id: string | null;
  assignees: EscalationAssignee[];
  notifications: (EscalationNotificationRecord & { index?: number })[];
  deadline: Date | string;
  action: string | null;
  final_text: string | null;
  decided_by: string | null;
  decided_at: Date | string | null;
  created_at: Date | string;
}

const iso = (value: Date | string): string => new Date(value).toISOString();

/** The row as the API shows it. */
export function toSummary(row: EscalationRow): EscalationSummary {
  const action = row.action as EscalationAction | null;
  return {
    id: row.id,
    status: row.status as EscalationStatus,
    title: row.title,
    message: row.message,
    draft: row.draft,
    reasons: row.reasons,
    flowId: row.flow_id,
    flowName: row.flow_name ?? null,
    executionId: row.execution_id,
    nodeId: row.node_id,
    conversationId: row.conversation_id,
    assignees: row.assignees,
    notifications: row.notifications.map(({ index: _index, ...n }) => n),
    deadline: iso(row.deadline),
    action,
    finalText: row.final_text,
    edited: row.final_text !== null && row.final_text !== row.draft,
    decidedBy: row.decided_by,
    decidedAt: row.decided_at ? iso(row.decided_at) : null,
    createdAt: iso(row.created_at),
  };
}
