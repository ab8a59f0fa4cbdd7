import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PackedPlugin } from '@switchyard/sdk/manifest';
import { packPlugin } from '../../plugins/sdk/src/pack.js';
import { WS, flow, runAndWait, startLocalServer, startTestRuntime } from '../testing/harness.js';
import type { Runtime } from '../types.js';

const examples = (name: string) => fileURLToPath(new URL(`../../plugins/examples/${name}`, import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

let runtime: Runtime;
let weather: PackedPlugin;
let weatherV2: PackedPlugin;
let textUtils: PackedPlugin;
let server: Awaited<ReturnType<typeof startLocalServer>>;
const seen: string[] = [];

beforeAll(async () => {
  [runtime, weather, weatherV2, textUtils] = await Promise.all([
    startTestRuntime(), packPlugin(examples('weather')), packPlugin(fixture('weather-v2')), packPlugin(examples('text-utils')),
  ]);
  server = await startLocalServer((req, _body, res) => {
    seen.push(`${req.url} ${req.headers.authorization}`);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ city: 'Lisbon', days: [{ date: '2026-06-01', highC: 27, lowC: 18, summary: 'sunny' }] }));
  });
}, 120_000);

async function weatherFlow(name: string) {
  const credential = await runtime.credentials.create(WS, { name: `${name} key`, kind: 'http-bearer', data: { token: 'k-42' } });
  return runtime.flows.create(WS, flow(name, [
    { id: 'start', type: 'core.manual-trigger' },
    { id: 'forecast', type: 'acme-weather.forecast', props: { city: '{{ $json.city }}', days: 1, baseUrl: server.url }, credentials: { api: 'weather' } },
    { id: 'slug', type: 'text-utils.slugify', props: { text: '{{ $json.city }} forecast' } },
  ], ['start->forecast', 'forecast->slug'], { credentials: { weather: { kind: 'http-bearer', id: credential.id } } }));
}

describe('install and approve', () => {
  it('keeps an unapproved plugin out of the registry, and adds it with its schema once approved', async () => {
    const installed = await runtime.plugins.install(WS, weather);
    expect(installed).toMatchObject({ name: 'acme-weather', version: '1.0.0', approved: false, permissions: { hosts: ['api.acme-weather.test', '127.0.0.1'], credentialKinds: ['http-bearer'] } });
    expect(runtime.nodeCatalog().some((n) => n.type === 'acme-weather.forecast')).toBe(false);
    await runtime.plugins.approve(WS, 'acme-weather', '1.0.0');
    const entry = runtime.nodeCatalog().find((n) => n.type === 'acme-weather.forecast');
    expect(entry).toMatchObject({ version: 1, category: 'Weather', credentials: { api: { kind: 'http-bearer', optional: false } }, sideEffects: false });
    expect(entry?.propsSchema).toMatchObject({ properties: { city: { type: 'string', title: 'City', expression: true }, days: { default: 3 } } });
    await runtime.plugins.install(WS, textUtils, { approve: true });
    expect((await runtime.plugins.list(WS)).map((p) => `${p.name}@${p.version}:${p.approved}`)).toEqual(['acme-weather@1.0.0:true', 'text-utils@1.0.0:true']);
  });

  it('refuses the same version twice, a tampered bundle and a manifest that lies', async () => {
    await expect(runtime.plugins.install(WS, weather)).rejects.toMatchObject({ status: 409 });
    const tampered = { ...weatherV2, bundle: `${weatherV2.bundle};globalThis.x=1` };
    await expect(runtime.plugins.install(WS, tampered)).rejects.toMatchObject({ status: 400, code: 'integrity_mismatch' });
    const liar = { ...weatherV2, manifest: { ...weatherV2.manifest, nodes: [...weatherV2.manifest.nodes, { ...weatherV2.manifest.nodes[0]!, type: 'acme-weather.steal' }] } };
    await expect(runtime.plugins.install(WS, liar)).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ message: 'the manifest lists acme-weather.steal@2 but the bundle does not define it' })] });
    const squatter = { ...textUtils, manifest: { ...textUtils.manifest, name: 'core', nodes: textUtils.manifest.nodes.map((n) => ({ ...n, type: n.type.replace('text-utils.', 'core.') })) } };
    await expect(runtime.plugins.install(WS, squatter)).rejects.toMatchObject({ status: 400 });
    await expect(runtime.plugins.install(WS, { manifest: { name: 'x' } })).rejects.toMatchObject({ status: 400, code: 'validation_failed' });
  });
});

describe('flows with plugin nodes', () => {
  let flowId = '';

  it('runs plugin nodes in a flow, with the credential sent only to the declared host', async () => {
    flowId = (await weatherFlow('Weather report')).id;
    const execution = await runAndWait(runtime, flowId, { city: 'Lisbon' });
    expect(execution.status).toBe('succeeded');
    expect(execution.steps.find((s) => s.nodeId === 'slug')?.output).toEqual({ main: { slug: 'lisbon-forecast' } });
    expect(seen).toContain('/v1/forecast?city=Lisbon&days=1 Bearer k-42');
  });

  it('pins the node version; upgrading is explicit and re-validates props', async () => {
    await runtime.plugins.install(WS, weatherV2, { approve: true });
    expect(runtime.nodeCatalog().filter((n) => n.type === 'acme-weather.forecast').map((n) => n.version)).toEqual([1, 2]);
    expect((await runAndWait(runtime, flowId, { city: 'Lisbon' })).status).toBe('succeeded');
    await expect(runtime.plugins.upgradeFlowNodes(WS, flowId, { plugin: 'acme-weather' })).rejects.toMatchObject({ status: 400, details: [expect.objectContaining({ nodeId: 'forecast' })] });
    const current = await runtime.flows.get(WS, flowId);
    await runtime.flows.update(WS, flowId, { ...current.document, nodes: current.document.nodes.map((n) => (n.id === 'forecast' ? { ...n, props: { ...n.props, units: 'metric' } } : n)) });
    const upgrade = await runtime.plugins.upgradeFlowNodes(WS, flowId, { plugin: 'acme-weather' });
    expect(upgrade.upgraded).toEqual([{ nodeId: 'forecast', type: 'acme-weather.forecast', from: 1, to: 2 }]);
    expect((await runAndWait(runtime, flowId, { city: 'Lisbon' })).status).toBe('succeeded');
  });

  it('refuses to uninstall a version an active flow uses, naming the flow', async () => {
    await runtime.flows.activate(WS, flowId);
    await expect(runtime.plugins.uninstall(WS, 'acme-weather', '2.0.0')).rejects.toMatchObject({ status: 409, message: expect.stringContaining('"Weather report"') });
    await runtime.plugins.uninstall(WS, 'acme-weather', '1.0.0');
    expect(runtime.nodeCatalog().filter((n) => n.type === 'acme-weather.forecast').map((n) => n.version)).toEqual([2]);
    await runtime.flows.deactivate(WS, flowId);
    await runtime.plugins.uninstall(WS, 'acme-weather', '2.0.0');
    expect(runtime.nodeCatalog().some((n) => n.type === 'acme-weather.forecast')).toBe(false);
  });
});
