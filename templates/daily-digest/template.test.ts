import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simpleParser } from 'mailparser';
import { startAiFake, type AiFake } from '../../nodes/ai/fake.js';
import { startSmtpFake, type SmtpFake } from '../../nodes/channels/email/fake-smtp.js';
import { startLocalServer } from '../../runtime/testing/harness.js';
import { outputOf, templateBed } from '../_testing/harness.js';

const bed = templateBed();
let ai: AiFake;
let smtp: SmtpFake;

beforeAll(async () => {
  ai = await startAiFake();
  smtp = await startSmtpFake();
});
afterAll(async () => {
  await ai?.close();
  await smtp?.close();
});

describe('template: Daily digest', () => {
  it('needs both credentials before it can be activated, then fetches, summarizes with the AI fake and emails through the SMTP fake', async () => {
    const source = await startLocalServer((_req, _body, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ headlines: ['Rates held at 6.5%', 'Monsoon arrives early in Kerala'] }));
    });
    await bed.api('PUT', '/api/variables/DIGEST_SOURCE_URL', { value: `${source.url}/today.json` });
    await bed.api('PUT', '/api/variables/DIGEST_TO', { value: 'Ada <ada@example.com>' });

    // Imported with nothing mapped: both slots are named, and activation refuses until they are bound.
    const bare = await bed.importTemplate('daily-digest');
    expect(bare.unmapped.map((u: { slot: string }) => u.slot).sort()).toEqual(['mail', 'model']);
    const refused = await bed.api('POST', `/api/flows/${bare.flowId}/activate`);
    expect(refused.status).toBe(400);
    expect(refused.text).toMatch(/credential/);

    const model = await bed.credential('ai-provider', 'Fake AI', { preset: 'custom', baseUrl: ai.url, apiKey: ai.apiKey });
    const mail = await bed.credential('smtp', 'Fake SMTP', { host: smtp.host, port: smtp.port, security: 'none', user: smtp.user, password: smtp.password, from: 'Digest <digest@example.com>' });
    const imported = await bed.importTemplate('daily-digest', { model, mail });
    expect(imported.unmapped).toEqual([]);
    await bed.activate(imported.flowId);

    // The schedule fires at 08:00; a run now goes through the same trigger.
    const run = await bed.api('POST', `/api/flows/${imported.flowId}/run`, {});
    expect(run.status).toBe(202);
    const execution = await bed.finishedExecution(imported.flowId);
    expect(execution.status, JSON.stringify(execution.error)).toBe('succeeded');

    expect(source.hits.get('/today.json')).toBe(1);
    const asked = JSON.stringify(ai.chatRequests()[0]!.messages);
    expect(asked).toContain('Monsoon arrives early in Kerala');
    const summary: string = outputOf(execution, 'summarize').summary;
    expect(summary).toContain('Rates held at 6.5%');

    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toEqual(['ada@example.com']);
    const mailed = await simpleParser(smtp.messages[0]!.raw);
    expect(mailed.subject).toBe('Your daily digest');
    expect(mailed.text).toContain(summary);
  });
});
