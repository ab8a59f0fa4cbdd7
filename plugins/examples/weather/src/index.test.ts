import { describe, expect, it } from 'vitest';
import { runNode } from '@switchyard/plugin-testing';
import { forecast } from './index.js';

const api = { kind: 'http-bearer', fields: { token: 'k-123' } };

describe('acme-weather.forecast (in the sandbox)', () => {
  it('calls the declared API host with the credential and returns the forecast', async () => {
    const { outputs, requests, logs } = await runNode(forecast, {
      props: { city: 'Lisbon', days: 2 },
      credentials: { api },
      http: () => ({ body: { city: 'Lisbon', days: [{ date: '2026-06-01', highC: 27, lowC: 18, summary: 'sunny' }] } }),
    });
    expect(outputs).toEqual({ main: { city: 'Lisbon', days: [{ date: '2026-06-01', highC: 27, lowC: 18, summary: 'sunny' }] } });
    expect(requests).toEqual([expect.objectContaining({ url: 'https://api.acme-weather.test/v1/forecast?city=Lisbon&days=2', method: 'GET' })]);
    expect(requests[0]?.headers.authorization).toBe('Bearer k-123');
    expect(logs).toContain('[info] forecast for Lisbon: 1 days');
  });

  it('fails without retry when the key is refused', async () => {
    await expect(runNode(forecast, { props: { city: 'Oslo' }, credentials: { api }, http: () => ({ status: 401 }) }))
      .rejects.toMatchObject({ code: 'http_status', message: 'plugin acme-weather@1.0.0: the Acme Weather API key was refused' });
  });

  it('cannot reach a host the plugin did not declare', async () => {
    await expect(runNode(forecast, { props: { city: 'Oslo', baseUrl: 'https://evil.test' }, credentials: { api }, http: () => ({}) }))
      .rejects.toMatchObject({ message: expect.stringMatching(/may not reach evil\.test/) });
  });

  it('needs its credential', async () => {
    await expect(runNode(forecast, { props: { city: 'Oslo' } })).rejects.toMatchObject({ code: 'credential_missing' });
  });
});
