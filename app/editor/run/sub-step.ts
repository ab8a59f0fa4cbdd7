import type { StepRecord } from '../../../runtime/services/types.js';

/**
 * What a sub-step is, in words, or undefined for a step of its own. Sub-steps are what a step
 * records of its own progress with `ctx.memo` under `<step key>/<key>` (decision 035): the AI
 * agent's model calls (`model-2`) and tool calls (`tool-3`, whose input names the tool).
 */
export function subStepLabel(step: Pick<StepRecord, 'stepKey' | 'input'>): string | undefined {
  const slash = step.stepKey.indexOf('/');
  if (slash < 0) return undefined;
  const key = step.stepKey.slice(slash + 1);
  const input = step.input;
  const tool = typeof input === 'object' && input !== null && !Array.isArray(input) && typeof input.tool === 'string' ? input.tool : undefined;
  const known = /^(model|tool)-(\d+)$/.exec(key);
  if (!known) return key;
  return known[1] === 'model' ? `model call ${known[2]}` : `tool call ${known[2]}${tool ? `: ${tool}` : ''}`;
}
