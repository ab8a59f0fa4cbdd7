import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '../../../runtime/net/index.js';
import { startAiFake, type AiFake } from '../fake.js';
import aiProvider from './credential.js';

let fake: AiFake;
const allowed = createHttpClient({ allow: ['127.0.0.1'] });
const guarded = createHttpClient();
beforeAll(async () => { fake = await startAiFake({ models: ['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'] }); });
afterAll(async () => { await fake.close(); allowed.close(); guarded.close(); });

const test = (fields: Record<string, string>, http = allowed) => aiProvider.test!(fields, { http, signal: new AbortController().signal });

describe('ai-provider credential', () => {
  it('Test connection lists the provider\'s models', async () => {
    const result = await test({ preset: 'groq', apiKey: fake.apiKey!, baseUrl: fake.url });
    expect(result).toEqual({ ok: true, message: expect.stringContaining('2 models (llama-3.3-70b-versatile, llama-3.1-8b-instant)') });
    expect(fake.requests.at(-1)).toMatchObject({ method: 'GET', path: '/models' });
  });

  it('says a wrong key was refused, without echoing it', async () => {
    const result = await test({ preset: 'openai', apiKey: 'sk-wrong-key-123456', baseUrl: fake.url });
    expect(result.ok).toBe(false);
    expect(result.message).toContain('refused the API key (401)');
    expect(result.message).not.toContain('sk-wrong-key-123456');
  });

  it('passes the base URL through the outbound guard', async () => {
    const result = await test({ preset: 'custom', baseUrl: fake.url }, guarded);
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/blocked|SWITCHYARD_OUTBOUND_ALLOW/);
    expect(fake.requests.filter((r) => r.apiKey === undefined)).toHaveLength(0);
  });

  it('needs a base URL for a custom server and a key for hosted presets; local presets need neither', () => {
    expect(aiProvider.schema.safeParse({ preset: 'custom' }).success).toBe(false);
    expect(aiProvider.schema.safeParse({ preset: 'groq' }).success).toBe(false);
    expect(aiProvider.schema.safeParse({ preset: 'ollama' }).success).toBe(true);
    expect(aiProvider.schema.safeParse({ preset: 'openai', apiKey: 'sk-x', baseUrl: 'ftp://x' }).success).toBe(false);
  });
});
