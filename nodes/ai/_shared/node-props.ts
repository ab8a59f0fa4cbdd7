import { z } from 'zod';
import { NonRetryableError, ui, type CredentialValue } from '@switchyard/sdk';
import { endpointFromCredential } from './client.js';
import type { ChainEntry, ChatRequest } from './chain.js';
import { AI_PROVIDER_KIND } from './presets.js';

/**
 * Credential slots of every AI node: the provider and up to three fallback providers. A chain entry
 * names one of these slots, so a flow's export maps each to a credential of the target workspace and
 * the runtime only ever hands out credentials the workspace owns (decision 032).
 */
export const PROVIDER_SLOTS = ['provider', 'fallback1', 'fallback2', 'fallback3'] as const;
export type ProviderSlot = (typeof PROVIDER_SLOTS)[number];

export const providerCredentials = {
  provider: { kind: AI_PROVIDER_KIND, title: 'Provider' },
  fallback1: { kind: AI_PROVIDER_KIND, optional: true, title: 'Fallback provider 1' },
  fallback2: { kind: AI_PROVIDER_KIND, optional: true, title: 'Fallback provider 2' },
  fallback3: { kind: AI_PROVIDER_KIND, optional: true, title: 'Fallback provider 3' },
} as const;

const SLOT_LABELS: Record<ProviderSlot, string> = {
  provider: 'Provider', fallback1: 'Fallback provider 1', fallback2: 'Fallback provider 2', fallback3: 'Fallback provider 3',
};

/** One entry of the fallback chain, as the node's form holds it. */
export const chainEntrySchema = z.object({
  /** Which of the node's provider credentials. Default: 'provider'. */
  credential: ui(z.enum(PROVIDER_SLOTS).default('provider'), { title: 'Credential', description: 'Which of the node\'s provider credentials (see Credentials below)', enumLabels: SLOT_LABELS, expression: false }),
  model: ui(z.string().trim().min(1, 'name the model'), { title: 'Model', description: 'The model id as the provider lists it (Test connection shows them)', placeholder: 'gpt-4o-mini, llama-3.3-70b-versatile…' }),
  /** Default: 30 000 ms. */
  timeoutMs: ui(z.number().int().min(1000).max(600_000).default(30_000), { title: 'Timeout (ms)', description: 'Give up on this model after this long and try the next' }),
});

/** Default: one entry, `gpt-4o-mini` on the Provider credential. */
export const chainSchema = ui(z.array(chainEntrySchema).min(1, 'the chain needs at least one model').max(8).default([{ credential: 'provider', model: 'gpt-4o-mini', timeoutMs: 30_000 }]), {
  title: 'Models (fallback chain)',
  description: 'Tried in order: the next answers when one times out, is rate-limited (429), fails (5xx) or cannot be reached; a refused request (400) is not sent elsewhere',
  group: 'Model',
});

/** Model settings shared by the AI nodes (each optional: the provider's default applies). */
export const modelSettingsShape = {
  /** Default: the provider's. */
  temperature: ui(z.number().min(0).max(2).optional(), { title: 'Temperature', description: '0 is most predictable; leave empty for the provider\'s default', group: 'Model' }),
  /** Default: the provider's. */
  maxTokens: ui(z.number().int().min(1).max(200_000).optional(), { title: 'Max tokens', description: 'Longest answer, in tokens', group: 'Model' }),
  /** Default: the provider's. */
  topP: ui(z.number().min(0).max(1).optional(), { title: 'Top P', description: 'Nucleus sampling (0–1); leave empty for the provider\'s default', group: 'Model' }),
  /** Default: 0 (no cache). */
  cacheTtlSeconds: ui(z.number().int().min(0).max(30 * 86_400).default(0), {
    title: 'Cache answers (seconds)', description: 'Reuse the answer to an identical request for this long (0: never). Keyed by the full request, stored in Redis', group: 'Model',
  }),
};

/** The chain's entries with their credentials; an entry whose credential is not chosen is an error naming it. */
export function chainEntries(credentials: Readonly<Record<ProviderSlot, CredentialValue | undefined>>, chain: z.infer<typeof chainSchema>): ChainEntry[] {
  return chain.map((entry, i) => {
    const credential = credentials[entry.credential];
    if (!credential) {
      throw new NonRetryableError(`model ${i + 1} (${entry.model}) uses "${SLOT_LABELS[entry.credential]}", but no credential is chosen for it`, { code: 'credential_missing' });
    }
    return { endpoint: endpointFromCredential(credential), model: entry.model, timeoutMs: entry.timeoutMs };
  });
}

/** The model settings of a node's props as a request's fields. */
export function settingsOf(props: { temperature?: number; maxTokens?: number; topP?: number }): Pick<ChatRequest, 'temperature' | 'maxTokens' | 'topP'> {
  return {
    ...(props.temperature === undefined ? {} : { temperature: props.temperature }),
    ...(props.maxTokens === undefined ? {} : { maxTokens: props.maxTokens }),
    ...(props.topP === undefined ? {} : { topP: props.topP }),
  };
}
