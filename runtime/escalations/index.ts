import type { EscalationCapabilities } from '@switchyard/sdk';
import { NotFoundError } from '../errors.js';
import { createEscalationLinks, type EscalationLinks } from './links.js';
import { getEscalation, listEscalations } from './queries.js';
import { EscalationStore, type EscalationScope, type EscalationStoreOptions } from './store.js';
import type { EscalationDecisionInput, EscalationDetail, EscalationListQuery, EscalationPage, EscalationSummary } from './types.js';

export { createEscalationLinks, type EscalationLinks } from './links.js';
export { EscalationStore, escalationEvent, DEADLINE, type DecidedEscalation, type EscalationScope } from './store.js';
export * from './types.js';
export { decisionLogEntry } from './decision-log.js';

/** The escalations inbox as `app/` uses it (`runtime.escalations`). */
export interface EscalationService {
  list(workspaceId: string, query: EscalationListQuery): Promise<EscalationPage>;
  /** 404 when the workspace has no such escalation. */
  get(workspaceId: string, id: string): Promise<EscalationDetail>;
  /** Approve (edit and approve when `text` differs from the draft), reject or reply; 404 unknown, 409 already decided. */
  decide(workspaceId: string, id: string, input: EscalationDecisionInput, decidedBy: string): Promise<EscalationSummary>;
  /** Whether a link's signature (`sig`) was made for this escalation. */
  verifyLink(id: string, signature: string): boolean;
}

/** The service and the per-step `ctx.escalations` over one store. */
export function createEscalations(options: Omit<EscalationStoreOptions, 'links'> & { encryptionKey: Buffer; publicUrl: string }): {
  service: EscalationService;
  capabilities(scope: EscalationScope): EscalationCapabilities;
} {
  const links: EscalationLinks = createEscalationLinks(options.encryptionKey, options.publicUrl);
  const store = new EscalationStore({ ...options, links });
  return {
    service: {
      list: (workspaceId, query) => listEscalations(options.knex, workspaceId, query),
      async get(workspaceId, id) {
        const found = await getEscalation(options.knex, workspaceId, id);
        if (!found) throw new NotFoundError('escalation', id);
        return found;
      },
      decide: (workspaceId, id, input, decidedBy) => store.decide(workspaceId, id, input, decidedBy),
      verifyLink: (id, signature) => links.verify(id, signature),
    },
    capabilities: (scope) => ({
      open: (request) => store.open(scope, request),
      notified: (id, index, outcome) => store.notified(scope.workspaceId, id, index, outcome),
      expire: (id) => store.expire(scope.workspaceId, id),
    }),
  };
}
