import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { afterAll, describe, expect, it } from 'vitest';
import { defineNode } from '@switchyard/sdk';
import { createNodeRegistry, nodeRegistry } from '../../nodes/index.js';
import { validateFlow } from '../flow/validate.js';
import { checkTemplate, checkTemplateFile, loadTemplates, SHIPPED_TEMPLATES_DIR } from './loader.js';
import { upgradeDocument } from './upgrade.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

const meta = (over: Record<string, unknown> = {}) => ({
  format: 'switchyard/template@1', title: 'T', description: 'd', category: 'Test',
  credentials: {}, nodeVersions: { 'core.manual-trigger': 1 }, ...over,
});
const flow = (over: Record<string, unknown> = {}) => ({
  format: 'switchyard/flow@1', name: 'T',
  nodes: [{ id: 'start', type: 'core.manual-trigger', typeVersion: 1, position: { x: 0, y: 0 }, props: {} }],
  edges: [], credentials: {}, ...over,
});

describe('shipped templates', () => {
  it('every folder under templates/ loads, and its flow is valid against the built-in nodes', async () => {
    const { templates, refused } = await loadTemplates(SHIPPED_TEMPLATES_DIR, nodeRegistry);
    expect(refused).toEqual([]);
    expect(templates.map((t) => t.id)).toContain('webhook-transform-respond');
    for (const template of templates) {
      expect(validateFlow(template.flow, nodeRegistry).problems, template.id).toEqual([]);
      expect(template.upgraded, template.id).toEqual([]);
    }
  });
});

describe('template checks', () => {
  it('names a credential slot the metadata does not describe, or describes with another kind', () => {
    const doc = flow({ credentials: { bot: { kind: 'telegram-bot' }, mail: { kind: 'smtp' } } });
    expect(() => checkTemplate(meta({ credentials: { mail: { kind: 'imap', help: 'x' }, ghost: { kind: 'smtp', help: 'x' } } }), doc, nodeRegistry))
      .toThrow(/slot "bot" \(telegram-bot\) of flow.json has no setup help.*slot "mail" is "smtp" in flow.json but "imap".*"ghost", which flow.json does not have/);
  });

  it('names a node whose version disagrees with nodeVersions', () => {
    expect(() => checkTemplate(meta({ nodeVersions: {} }), flow(), nodeRegistry)).toThrow(/node "start" is core.manual-trigger version 1, but template.json says it was written for no version/);
  });

  it('refuses bad metadata and a bad document together, naming the files', () => {
    try {
      checkTemplate({ ...meta(), title: '' }, { ...flow(), format: 'n8n' }, nodeRegistry);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'invalid_template' });
      const paths = (error as { details: { path: unknown[] }[] }).details.map((d) => d.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['template.json.title', 'flow.json.format']));
    }
  });

  it('refuses a one-file template holding a prototype key before any schema sees it', () => {
    const file = JSON.parse('{"template": {"__proto__": {"polluted": true}}, "flow": {}}');
    expect(() => checkTemplateFile(file, nodeRegistry)).toThrow(/"__proto__" is not allowed/);
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
  });

  it('a folder that fails is refused with its reason; the others still load', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'templates-'));
    dirs.push(dir);
    await mkdir(join(dir, 'good-one'));
    await writeFile(join(dir, 'good-one', 'template.json'), JSON.stringify(meta()));
    await writeFile(join(dir, 'good-one', 'flow.json'), JSON.stringify(flow()));
    await mkdir(join(dir, 'not-json'));
    await writeFile(join(dir, 'not-json', 'template.json'), '{ nope');
    await writeFile(join(dir, 'not-json', 'flow.json'), JSON.stringify(flow()));
    await mkdir(join(dir, 'Bad_Name'));
    const { templates, refused } = await loadTemplates(dir, nodeRegistry);
    expect(templates.map((t) => t.id)).toEqual(['good-one']);
    expect(refused).toEqual([
      { id: 'Bad_Name', message: expect.stringContaining('not a template id') },
      { id: 'not-json', message: expect.stringContaining('not JSON') },
    ]);
  });
});

describe('node version check', () => {
  const greet = (version: number, props: z.ZodType, upgrades?: Record<number, (p: Readonly<Record<string, unknown>>) => Record<string, unknown>>) => defineNode({
    type: 'test.greet', version, title: 'Greet', category: 'Test', description: 'd', props, ports: { in: ['main'], out: ['main'] },
    ...(upgrades ? { upgrades } : {}), run: (_ctx, input) => ({ main: input }),
  });
  const doc = (version: number, props: Record<string, unknown>) => ({
    format: 'switchyard/flow@1' as const, name: 'T', edges: [], credentials: {},
    nodes: [{ id: 'hi', type: 'test.greet', typeVersion: version, position: { x: 0, y: 0 }, props }],
  });

  it('upgrades a node written for an older version through each declared step', () => {
    // v1 had `name`; v2 renamed it `who`; v3 added `punctuation`. Only v3 is installed.
    const v3 = greet(3, z.object({ who: z.string(), punctuation: z.string() }), {
      1: (p) => ({ who: p.name }),
      2: (p) => ({ ...p, punctuation: '!' }),
    });
    const registry = createNodeRegistry([v3]);
    const { document, upgraded } = upgradeDocument(doc(1, { name: 'Ada' }), registry);
    expect(upgraded).toEqual([{ nodeId: 'hi', type: 'test.greet', from: 1, to: 3 }]);
    expect(document.nodes[0]).toMatchObject({ typeVersion: 3, props: { who: 'Ada', punctuation: '!' } });
  });

  it('keeps a version that is still registered as it is', () => {
    const registry = createNodeRegistry([greet(1, z.object({ name: z.string() })), greet(2, z.object({ who: z.string() }), { 1: (p) => ({ who: p.name }) })]);
    expect(upgradeDocument(doc(1, { name: 'Ada' }), registry).upgraded).toEqual([]);
  });

  it('refuses an older version with no upgrade, and a type that is not installed, naming the node and versions', () => {
    const registry = createNodeRegistry([greet(2, z.object({ who: z.string() }))]);
    expect(() => upgradeDocument(doc(1, { name: 'Ada' }), registry))
      .toThrow('node "hi" was written for test.greet version 1; this installation has version 2 and no upgrade from 1');
    try {
      upgradeDocument({ ...doc(1, {}), nodes: [{ ...doc(1, {}).nodes[0]!, type: 'acme.thing' }] }, registry);
      expect.unreachable();
    } catch (error) {
      expect(error).toMatchObject({ status: 400, code: 'template_outdated', message: expect.stringContaining('acme.thing version 1, which is not installed') });
    }
  });
});
