import { describe, expect, it } from 'vitest';
import { runNode } from '../../testing.js';
import manualTrigger from './index.js';

describe('core.manual-trigger', () => {
  it('emits its input on main', async () => {
    const input = { hello: 'world' };
    expect(await runNode(manualTrigger, input, {})).toEqual({ main: input });
  });

  it('is a manual trigger with no inputs', () => {
    expect(manualTrigger.trigger).toEqual({ kind: 'manual' });
    expect(manualTrigger.ports).toEqual({ in: [], out: ['main'] });
    expect(manualTrigger.sideEffects).toBe(false);
  });
});
