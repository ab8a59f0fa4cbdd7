import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import aiProvider from './provider/credential.js';

/** The AI family (docs/ai.md): LLM steps over any OpenAI-compatible provider, with fallback chains. */
export const nodes: AnyNodeDefinition[] = [];

export const credentialKinds: CredentialKindDefinition[] = [aiProvider];
