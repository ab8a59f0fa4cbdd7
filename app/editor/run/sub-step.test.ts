import { describe, expect, it } from 'vitest';
import { subStepLabel } from './sub-step';

describe('subStepLabel', () => {
  it('names an agent\'s model and tool calls, and leaves steps alone', () => {
    expect(subStepLabel({ stepKey: 'agent', input: { text: 'hi' } })).toBeUndefined();
    expect(subStepLabel({ stepKey: 'agent#2', input: null })).toBeUndefined();
    expect(subStepLabel({ stepKey: 'agent/model-2', input: { iteration: 2 } })).toBe('model call 2');
    expect(subStepLabel({ stepKey: 'agent#1/tool-3', input: { tool: 'search_faq', arguments: '{}' } })).toBe('tool call 3: search_faq');
    expect(subStepLabel({ stepKey: 'agent/tool-4.start', input: { flowId: 'f1' } })).toBe('tool-4.start');
  });
});
