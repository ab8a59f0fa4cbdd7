import type { AnyNodeDefinition, CredentialKindDefinition } from '@switchyard/sdk';
import chat from './chat/index.js';
import classify from './classify/index.js';
import extract from './extract/index.js';
import agent from './agent/index.js';
import answerFromKnowledge from './answer-from-knowledge/index.js';
import knowledgeSearch from './knowledge-search/index.js';
import aiProvider from './provider/credential.js';
import summarize from './summarize/index.js';

/** The AI family (docs/ai.md): LLM steps over any OpenAI-compatible provider, with fallback chains. */
export const nodes: AnyNodeDefinition[] = [chat, classify, extract, summarize, agent, knowledgeSearch, answerFromKnowledge];

export const credentialKinds: CredentialKindDefinition[] = [aiProvider];
