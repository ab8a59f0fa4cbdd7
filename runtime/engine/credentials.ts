import type { CredentialValue } from '@switchyard/sdk';
import type { FlowDocument } from '../flow/document.js';
import type { Redactor } from '../vault/redact.js';
import type { ExecutorDeps } from './deps.js';
import type { PlannedNode } from './plan.js';

/**
 * Decrypts only the credentials of the slots a node declares, once per execution run (again after
 * any credential was edited, so the next step gets the new fields), and teaches the run's redactor
 * every secret it hands out (so step records and logs never carry them).
 */
export class CredentialResolver {
  private readonly cache = new Map<string, CredentialValue>();
  private cachedAt?: number;

  constructor(
    private readonly deps: Pick<ExecutorDeps, 'loadCredentials' | 'credentialsVersion' | 'credentialChoiceFields'>,
    private readonly document: FlowDocument,
    private readonly workspaceId: string,
    private readonly redactor: Redactor,
  ) {}

  /** Whether `id` is a credential of the workspace that this run has loaded (and not forgotten since). */
  loaded(id: string): boolean {
    return this.cachedAt === this.deps.credentialsVersion() && this.cache.has(id);
  }

  async forNode(planned: PlannedNode): Promise<Record<string, CredentialValue | undefined>> {
    const slots = Object.keys(planned.definition.credentials ?? {});
    const bindings = planned.node.credentials ?? {};
    const idOf = (slot: string) => {
      const key = bindings[slot];
      return key ? this.document.credentials[key]?.id : undefined;
    };
    const result: Record<string, CredentialValue | undefined> = {};
    const version = this.deps.credentialsVersion();
    if (version !== this.cachedAt) {
      this.cache.clear();
      this.cachedAt = version;
    }
    const missing = slots.map(idOf).filter((id): id is string => id !== undefined && !this.cache.has(id));
    if (missing.length > 0) {
      for (const [id, value] of await this.deps.loadCredentials(this.workspaceId, missing)) {
        this.cache.set(id, value);
        this.redactor.learnCredential(value, { choiceFields: this.deps.credentialChoiceFields?.(value.kind) });
      }
    }
    for (const slot of slots) {
      const id = idOf(slot);
      result[slot] = id ? this.cache.get(id) : undefined;
    }
    return result;
  }
}
