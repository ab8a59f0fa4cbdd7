import type { Knex } from 'knex';
import type { Logger } from 'pino';
import type { DecisionCapabilities } from '@switchyard/sdk';
import { recordDecision } from './log.js';
import { listDecisions, summarizeDecisions } from './queries.js';
import type { DecisionInput, DecisionListQuery, DecisionPage, DecisionSummary, DecisionSummaryQuery } from './types.js';

export { recordDecision } from './log.js';
export { redactForLog } from './redact.js';
export * from './types.js';

/** The decision log as `app/` reads it (`runtime.decisions`). */
export interface DecisionService {
  /** A page of decisions, newest first, filtered; each with its redacted text. */
  list(workspaceId: string, query: DecisionListQuery): Promise<DecisionPage>;
  /** Counts per day and outcome, and the rules that fire most. */
  summary(workspaceId: string, query: DecisionSummaryQuery): Promise<DecisionSummary>;
}

/** The step a `ctx.decisions` records for; filled by the runtime, never by the node. */
export interface DecisionScope {
  workspaceId: string;
  flowId: string;
  executionId: string;
  stepKey: string;
  nodeType: string;
}

/** The decision log over one database: the service `app/` reads, `recordDecision` for the runtime, `ctx.decisions` for steps. */
export interface DecisionLog {
  service: DecisionService;
  /** The contract of issue 14: any runtime module (escalations) records through this. */
  recordDecision(input: DecisionInput): Promise<void>;
  capabilities(scope: DecisionScope): DecisionCapabilities;
}

export function createDecisionLog(options: { knex: Knex; log: Logger }): DecisionLog {
  const { knex, log } = options;
  return {
    service: {
      list: (workspaceId, query) => listDecisions(knex, workspaceId, query),
      summary: (workspaceId, query) => summarizeDecisions(knex, workspaceId, query),
    },
    recordDecision: (input) => recordDecision(knex, input),
    capabilities: (scope) => ({
      async record(decision) {
        try {
          await recordDecision(knex, {
            ...decision, workspaceId: scope.workspaceId, flowId: scope.flowId, executionId: scope.executionId,
            stepId: scope.stepKey, nodeType: scope.nodeType,
          });
        } catch (error) {
          // The log is a record of what the check decided, not part of the decision: a step is not
          // failed (and a message not blocked or let through differently) because the row was lost.
          log.warn({ err: error, executionId: scope.executionId, stepKey: scope.stepKey }, 'decision not recorded');
        }
      },
    }),
  };
}
