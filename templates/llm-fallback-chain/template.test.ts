import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAiFake, type AiFake } from '../../nodes/ai/fake.js';
import { templateBed } from '../_testing/harness.js';

const bed = templateBed();
const names = ['groq', 'together', 'ollama', 'huggingface'] as const;
const fakes: Partial<Record<(typeof names)[number], AiFake>> = {};

beforeAll(async () => {
  for (const name of names) fakes[name] = await startAiFake({ apiKey: name === 'ollama' ? null : `sk-${name}-0123456789` });
});
afterAll(async () => {
  for (const fake of Object.values(fakes)) await fake.close();
});

describe('template: LLM provider fallback chain', () => {
  it('answers from Together when Groq fails, saying who answered; Ollama and Hugging Face are not asked', async () => {
    const credentials: Record<string, string> = {};
    for (const name of names) {
      const fake = fakes[name]!;
      credentials[name] = await bed.credential('ai-provider', name, { preset: 'custom', baseUrl: fake.url, ...(fake.apiKey ? { apiKey: fake.apiKey } : {}) });
    }
    const imported = await bed.importTemplate('llm-fallback-chain', credentials);
    expect(imported.unmapped).toEqual([]);
    await bed.activate(imported.flowId);

    fakes.groq!.script({ kind: 'status', status: 503, message: 'over capacity' });
    const answer = await fetch(`${bed.http.base}/hooks/ask`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'Name a river in Kerala' }),
    });
    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.answer).toBe('reply: Name a river in Kerala');
    expect(body.model).toBe('meta-llama/Llama-3.3-70B-Instruct-Turbo');
    expect(body.attempts).toHaveLength(2);
    expect(body.attempts[0]).toMatchObject({ model: 'llama-3.3-70b-versatile', ok: false, error: { status: 503, fallback: true } });
    expect(body.attempts[1]).toMatchObject({ ok: true });
    expect(fakes.groq!.chatRequests()).toHaveLength(1);
    expect(fakes.together!.chatRequests()[0]!.model).toBe('meta-llama/Llama-3.3-70B-Instruct-Turbo');
    expect(fakes.ollama!.chatRequests()).toHaveLength(0);
    expect(fakes.huggingface!.chatRequests()).toHaveLength(0);
  });

  it('goes all the way to Hugging Face when the first three fail', async () => {
    const flows = (await bed.api('GET', '/api/flows')).body as { id: string }[];
    const before = (await bed.api('GET', `/api/executions?flowId=${flows[0]!.id}`)).body.length;
    fakes.groq!.script({ kind: 'status', status: 429, retryAfter: 1 });
    fakes.together!.script({ kind: 'status', status: 500 });
    fakes.ollama!.script({ kind: 'malformed' });
    const answer = await fetch(`${bed.http.base}/hooks/ask`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ prompt: 'And one in Assam?' }),
    });
    const body = await answer.json();
    expect(body.model).toBe('meta-llama/Llama-3.1-8B-Instruct');
    expect(body.attempts.map((a: { ok: boolean }) => a.ok)).toEqual([false, false, false, true]);
    const execution = await bed.finishedExecution(flows[0]!.id, before);
    expect(execution.status).toBe('succeeded');
  });
});
