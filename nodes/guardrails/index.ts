import type { AnyNodeDefinition } from '@switchyard/sdk';
import askHuman from './ask-human/index.js';
import check from './check/index.js';
import injection from './injection/index.js';
import keywords from './keywords/index.js';
import moderation from './moderation/index.js';
import pii from './pii/index.js';
import regex from './regex/index.js';
import topics from './topics/index.js';
import triage from './triage/index.js';
import urlAllowlist from './url-allowlist/index.js';

/** The guardrail checks, in palette order: all together first, then each alone. */
export const nodes: AnyNodeDefinition[] = [check, moderation, pii, injection, keywords, regex, urlAllowlist, topics, triage, askHuman];
