import type { Knex } from 'knex';
import type { NodeRegistry } from '../../nodes/index.js';
import { flowDocumentSchema } from '../flow/document.js';
import { buildPlan, PlanCache, type FlowPlan } from '../engine/plan.js';
import { NotFoundError } from '../errors.js';

/** Loads flow versions (immutable) into cached execution plans. */
export class PlanLoader {
  private readonly cache = new PlanCache();
  constructor(private readonly knex: Knex, private readonly registry: () => NodeRegistry) {}

  /**
   * `db`: the transaction the caller holds, read in on a cache miss (on the embedded one-connection
   * PGlite a read beside it would wait forever). Default: the loader's connection.
   */
  async get(flowId: string, version: number, db: Knex = this.knex): Promise<FlowPlan> {
    const cached = this.cache.get(flowId, version);
    if (cached) return cached;
    const row = await db('flow_versions').where({ flow_id: flowId, version }).first('document');
    if (!row) throw new NotFoundError('flow version', `${flowId}@${version}`);
    const plan = buildPlan(flowId, version, flowDocumentSchema.parse(row.document), this.registry());
    this.cache.set(plan);
    return plan;
  }
}
