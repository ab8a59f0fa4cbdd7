/** Where an escalation's assignee is told about it. */
export type EscalationChannel = 'email' | 'sms' | 'telegram' | 'whatsapp';

/** A person asked to decide: a channel and their address on it (email, phone number, Telegram chat id). */
export interface EscalationAssignee {
  channel: EscalationChannel;
  address: string;
}

/** What an "Ask a human" step puts to people. */
export interface EscalationRequest {
  /** One line: what the people are asked. */
  title: string;
  /** The message that was escalated (what the contact wrote). */
  message?: string;
  /** The drafted reply a person approves, edits or replaces. */
  draft?: string;
  /** Why it was escalated (e.g. the Triage step's reasons). */
  reasons: string[];
  /** The conversation the message belongs to: the account (credential id) and the provider's contact id. */
  conversation?: { credentialId: string; contactId: string };
  assignees: EscalationAssignee[];
  /** When the step stops waiting (epoch ms). */
  deadline: number;
}

export type EscalationStatus = 'open' | 'approved' | 'rejected' | 'timeout';

/** What a person (or the deadline) decided. `approve` keeps the draft, `edit` approves their edit of it, `reply` their own words. */
export type EscalationAction = 'approve' | 'edit' | 'reply' | 'reject' | 'timeout';

/** The step's escalation as the store has it. */
export interface OpenedEscalation {
  id: string;
  /** The wait event its decision resolves (`ctx.wait({ event })`). */
  event: string;
  status: EscalationStatus;
  /** Epoch ms. */
  deadline: number;
  /** The escalation in the inbox, signed (see decision 036), for the notifications. */
  link: string;
  /** Indexes of `assignees` already notified: a step that runs again notifies only the others. */
  notified: number[];
}

/** A decision as the step resumes with it (the wait's payload) and as `expire` returns it. */
export interface EscalationDecision {
  escalationId: string;
  status: Exclude<EscalationStatus, 'open'>;
  action: EscalationAction;
  /** The text the flow goes on with: the draft, the person's edit or their own reply; null when rejected or timed out. */
  text: string | null;
  /** The draft as it was asked about. */
  draft: string | null;
  /** True when the text differs from the draft. */
  edited: boolean;
  decidedBy: string;
  decidedAt: string;
}

/** What the built-in "Ask a human" node gets as `ctx.escalations` (undefined where the runtime keeps no escalations). */
export interface EscalationCapabilities {
  /** Creates this step's escalation, or returns the one it already created (same execution and step). */
  open(request: EscalationRequest): Promise<OpenedEscalation>;
  /** Records how notifying assignee `index` went. */
  notified(escalationId: string, index: number, outcome: { ok: boolean; error?: string }): Promise<void>;
  /** Ends the escalation at its deadline if nobody decided; returns the decision that stands. */
  expire(escalationId: string): Promise<EscalationDecision>;
}
