import { NonRetryableError, type CredentialValue, type HttpClient } from '@switchyard/sdk';
import { AI_PROVIDER_KIND, embedTexts, endpointFromCredential } from '../../nodes/ai/_shared/index.js';
import { ValidationError } from '../errors.js';
import { normalize, PROVIDER_PREFIX, type ProviderEmbedderFactory } from './embedders.js';
import { SourceError } from './errors.js';

/** Texts per provider request (providers take up to ~2,048; smaller keeps progress moving). */
const PROVIDER_BATCH = 64;

type LoadCredentials = (workspaceId: string, ids: string[]) => Promise<Map<string, CredentialValue>>;

/**
 * Provider embedding models through an `ai-provider` credential: the AI family's `embedTexts`
 * (official `openai` SDK, base64 vectors, the outbound guard). A refusal no retry can fix (4xx, a
 * deleted credential) fails the source with the provider's words; the key never appears in them.
 */
export function providerEmbedders(loadCredentials: LoadCredentials, http: HttpClient): { factory: ProviderEmbedderFactory; check(workspaceId: string, credentialId: string): Promise<void> } {
  async function load(workspaceId: string, credentialId: string): Promise<CredentialValue | undefined> {
    return (await loadCredentials(workspaceId, [credentialId])).get(credentialId);
  }
  return {
    async check(workspaceId, credentialId) {
      const value = await load(workspaceId, credentialId).catch(() => undefined);
      if (!value || value.kind !== AI_PROVIDER_KIND) {
        throw new ValidationError(`credential "${credentialId}" is not an AI provider credential of this workspace`, [{ code: 'invalid_credential', message: 'not an AI provider credential', path: ['embedding', 'credentialId'] }]);
      }
    },
    async factory({ workspaceId, credentialId, providerModel }) {
      const value = await load(workspaceId, credentialId).catch(() => undefined);
      if (!value) throw new SourceError('the AI provider credential this knowledge base embeds with no longer exists: choose another model');
      const endpoint = endpointFromCredential(value);
      return {
        model: `${PROVIDER_PREFIX}${providerModel}`,
        dimension: undefined,
        batchSize: PROVIDER_BATCH,
        async embed(texts, signal) {
          try {
            const { vectors } = await embedTexts(endpoint, providerModel, texts, { http, ...(signal ? { signal } : {}) });
            return vectors.map((v) => normalize(Float32Array.from(v)));
          } catch (error) {
            if (error instanceof NonRetryableError) throw new SourceError(error.message);
            throw error;
          }
        },
      };
    },
  };
}
