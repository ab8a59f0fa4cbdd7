import { beforeAll, describe, expect, it } from 'vitest';
import { flow, runAndWait, startTestRuntime, WS } from '../../../runtime/testing/harness.js';
import type { Runtime } from '../../../runtime/types.js';

/**
 * The topic allow-list and the moderation heuristic's few-shot part in real executions: the worker's
 * `ctx.knowledge.embedLocally` is the runtime's one local model process (the knowledge bases' own).
 */
let runtime: Runtime;
beforeAll(async () => { runtime = await startTestRuntime(); }, 60_000);

describe('local-model guardrails in a flow', () => {
  it('routes on- and off-topic messages, and fails an insult without swear words', async () => {
    const doc = flow(`topics ${Math.random()}`, [
      { id: 'in', type: 'core.manual-trigger' },
      { id: 'mod', type: 'guardrails.moderation', props: { text: '{{ $json.text }}' } },
      { id: 'topics', type: 'guardrails.topics', props: { text: '{{ $json.text }}', topics: [{ name: 'Opening hours', description: 'When and where our bakery shops are open' }] } },
    ], ['in->mod', 'mod:pass->topics']);
    const { id } = await runtime.flows.create(WS, doc);
    const onTopic = await runAndWait(runtime, id, { text: 'When do you open on Sunday?' }, 60_000);
    expect(onTopic.steps.find((s) => s.nodeId === 'topics')?.output).toMatchObject({ pass: { guardrail: { topic: 'Opening hours', method: 'local' } } });
    const offTopic = await runAndWait(runtime, id, { text: 'Who will win the football match tonight?' }, 60_000);
    expect(offTopic.steps.find((s) => s.nodeId === 'topics')?.output).toMatchObject({ fail: { guardrail: { findings: [{ rule: 'off-topic' }] } } });
    const insult = await runAndWait(runtime, id, { text: 'Nobody should have to deal with a clown like you' }, 60_000);
    expect(insult.steps.find((s) => s.nodeId === 'mod')?.output).toMatchObject({ fail: { guardrail: { methods: ['word lists', 'few-shot examples'] } } });
    expect(insult.steps.find((s) => s.nodeId === 'topics')).toBeUndefined();
  }, 180_000);
});
