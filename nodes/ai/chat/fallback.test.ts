import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { NonRetryableError, type CredentialValue, type Json } from '@switchyard/sdk';
import { createHttpClient } from '../../../runtime/net/index.js';
import { createTestContext, runNode } from '../../testing.js';
import { startAiFake, type AiFake } from '../fake.js';
import { providerCredentials, type ProviderSlot } from '../_shared/node-props.js';
import chat from './index.js';

let primary: AiFake;
let backup: AiFake;
const http = createHttpClient({ allow: ['127.0.0.1'] });

const credential = (fake: AiFake, id: string): CredentialValue => ({ id, kind: 'ai-provider', fields: { preset: 'custom', baseUrl: fake.url, apiKey: fake.apiKey! } });

beforeAll(async () => {
  primary = await startAiFake({ apiKey: 'sk-primary-secret-key-1234567890' });
  backup = await startAiFake({ apiKey: 'sk-backup-secret-key-0987654321' });
});
afterAll(async () => {
  await primary.close();
  await backup.close();
  http.close();
});
beforeEach(() => {
  primary.reset();
  backup.reset();
});

function context(credentials: Partial<Record<ProviderSlot, CredentialValue>> = { provider: credential(primary, 'cred-primary'), fallback1: credential(backup, 'cred-backup') }) {
  return createTestContext<typeof providerCredentials>({ http, credentials });
}

const chain = [
  { credential: 'provider' as const, model: 'fake-chat', timeoutMs: 1000 },
  { credential: 'fallback1' as const, model: 'fake-mini', timeoutMs: 5000 },
];

type Output = { text: string; attempts: { provider: string; model: string; ok: boolean; latencyMs: number; credentialId?: string; tokens?: Json; error?: { code: string; status?: number; fallback: boolean; message: string } }[] };

async function ask(ctx = context()): Promise<Output> {
  const result = await runNode(chat, { text: 'Where is my order?' }, { chain, prompt: 'Where is my order?' }, ctx);
  if (!('main' in result)) throw new Error('no main output');
  // A JSON copy typed as the output the node documents.
  const main: Output = JSON.parse(JSON.stringify(result.main));
  return main;
}

describe('ai.chat fallback chain', () => {
  it.each([
    ['a hang cut by the timeout', { kind: 'hang' } as const, 'timeout', undefined],
    ['429 with retry-after', { kind: 'status', status: 429, retryAfter: 30 } as const, 'rate_limited', 429],
    ['500', { kind: 'status', status: 500 } as const, 'server_error', 500],
    ['a body that is not JSON', { kind: 'malformed' } as const, 'bad_response', undefined],
    ['401 (this provider refuses the key)', { kind: 'status', status: 401 } as const, 'http_status', 401],
  ])('goes on to the next provider after %s and records both attempts', async (_name, step, code, status) => {
    primary.script(step);
    const out = await ask();
    expect(out.text).toBe('reply: Where is my order?');
    expect(out.attempts).toHaveLength(2);
    expect(out.attempts[0]).toMatchObject({ provider: 'custom', model: 'fake-chat', credentialId: 'cred-primary', ok: false, error: { code, fallback: true } });
    if (status) expect(out.attempts[0]!.error!.status).toBe(status);
    expect(out.attempts[1]).toMatchObject({ model: 'fake-mini', credentialId: 'cred-backup', ok: true });
    expect(out.attempts[1]!.tokens).toMatchObject({ totalTokens: expect.any(Number) });
    expect(primary.chatRequests()).toHaveLength(1);
    expect(backup.chatRequests()).toHaveLength(1);
    expect(backup.chatRequests()[0]!.model).toBe('fake-mini');
  });

  it('cuts a hang at the entry\'s timeout, not the step\'s', async () => {
    primary.script({ kind: 'hang' });
    const out = await ask();
    const hung = out.attempts[0]!;
    expect(hung.error!.message).toContain('1000 ms');
    expect(hung.latencyMs).toBeGreaterThanOrEqual(900);
  });

  it('goes on when the first provider refuses the connection', async () => {
    const closed = await startAiFake();
    const refused = credential(closed, 'cred-gone');
    await closed.close();
    const out = await ask(context({ provider: refused, fallback1: credential(backup, 'cred-backup') }));
    expect(out.attempts[0]).toMatchObject({ ok: false, error: { code: 'connection', fallback: true } });
    expect(out.attempts[1]!.ok).toBe(true);
  });

  it('does not send a 400 to another provider: the step fails at once with the attempt', async () => {
    primary.script({ kind: 'status', status: 400, message: "'messages' is too long for this model" });
    const error = await ask().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toContain('too long');
    const details = (error as NonRetryableError).details as { attempts: Output['attempts'] };
    expect(details.attempts).toHaveLength(1);
    expect(details.attempts[0]).toMatchObject({ ok: false, error: { status: 400, fallback: false } });
    expect(backup.chatRequests()).toHaveLength(0);
  });

  it('fails retryably with every attempt when the whole chain is down', async () => {
    primary.script({ kind: 'status', status: 503 });
    backup.script({ kind: 'status', status: 429 });
    const error = await ask().then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(NonRetryableError);
    const details = (error as NonRetryableError).details as { attempts: Output['attempts'] };
    expect(details.attempts.map((a) => a.error?.status)).toEqual([503, 429]);
  });

  it('names the chain entry whose credential is not chosen', async () => {
    const error = await ask(context({ provider: credential(primary, 'cred-primary') })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(NonRetryableError);
    expect((error as Error).message).toContain('Fallback provider 1');
  });

  it('sends the key only to its own provider, and never records it', async () => {
    primary.script({ kind: 'status', status: 500, message: 'upstream said: key sk-primary-secret-key-1234567890 overloaded' });
    const ctx = context();
    const out = await ask(ctx);
    expect(primary.requests[0]!.apiKey).toBe('sk-primary-secret-key-1234567890');
    expect(backup.requests[0]!.apiKey).toBe('sk-backup-secret-key-0987654321');
    const recorded = JSON.stringify(out) + JSON.stringify(ctx.logs);
    expect(recorded).not.toContain('sk-primary-secret-key-1234567890');
    expect(recorded).not.toContain('sk-backup-secret-key-0987654321');
    expect(out.attempts[0]!.error!.message).toContain('[redacted]');
  });

  it('sends system prompt, memory from Conversation history and the prompt, with the model settings', async () => {
    const history = { messages: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello! How can I help?' }], count: 2 };
    await runNode(chat, {}, { chain, system: 'You are terse.', memory: history as never, prompt: 'Order 42?', temperature: 0.2, maxTokens: 50 }, context());
    const sent = primary.chatRequests()[0]!;
    expect(sent.messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello! How can I help?' },
      { role: 'user', content: 'Order 42?' },
    ]);
    expect(sent).toMatchObject({ model: 'fake-chat', temperature: 0.2, max_tokens: 50 });
  });
});
