import type { Knex } from 'knex';
import { AppError, NotFoundError } from '../errors.js';
import { PlanError, type FlowPlan } from '../engine/plan.js';
import type { PlanLoader } from '../queue/plans.js';

export interface LatestPlanDeps {
  knex: Knex;
  plans: PlanLoader;
}

/**
 * The plan of a flow's latest saved version (the editor's draft, saved before a test): what "listen
 * for a test event" and the chat simulator run. A 404 for a flow that is not the workspace's, a 400
 * when the saved version cannot run (a node type that is gone).
 */
export async function latestPlan(deps: LatestPlanDeps, workspaceId: string, flowId: string): Promise<FlowPlan> {
  const row = await deps.knex('flows').where({ id: flowId, workspace_id: workspaceId }).whereNull('deleted_at').first('version');
  if (!row) throw new NotFoundError('flow', flowId);
  try {
    return await deps.plans.get(flowId, row.version);
  } catch (error) {
    if (error instanceof PlanError) throw new AppError(400, 'invalid_flow', `the saved flow cannot run: ${error.message}`);
    throw error;
  }
}
