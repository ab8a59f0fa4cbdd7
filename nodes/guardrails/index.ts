import type { AnyNodeDefinition } from '@switchyard/sdk';
import pii from './pii/index.js';

/** The guardrail checks, in palette order. */
export const nodes: AnyNodeDefinition[] = [pii];
