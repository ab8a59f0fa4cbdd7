import { describe, expect, it } from 'vitest';
import { nodeRegistry } from '../../nodes/index.js';
import type { Problem } from '../errors.js';
import { FLOW_FORMAT, type FlowDocumentInput } from './document.js';
import { validateFlow } from './validate.js';

type NodeIn = FlowDocumentInput['nodes'][number];
type EdgeIn = FlowDocumentInput['edges'][number];

let x = 0;
const node = (id: string, type: string, props: Record<string, unknown> = {}, extra: Partial<NodeIn> = {}): NodeIn => ({
  id, type, typeVersion: 1, position: { x: (x += 200), y: 0 }, props, ...extra,
});
const edge = (id: string, source: string, target: string, sourceHandle = 'main', targetHandle = 'main'): EdgeIn => ({
  id, source, target, sourceHandle, targetHandle,
});
const flow = (nodes: NodeIn[], edges: EdgeIn[], more: Partial<FlowDocumentInput> = {}): FlowDocumentInput => ({
  format: FLOW_FORMAT, name: 'Test flow', nodes, edges, ...more,
});
const codes = (problems: Problem[]) => problems.map((p) => p.code).sort();

const valid = flow(
  [
    node('in', 'core.webhook', { path: 'orders/new' }),
    node('check', 'core.if', { conditions: [{ left: '{{ $json.total }}', operator: 'gt', right: 100 }] }),
    node('loop', 'core.for-each', { items: '{{ $json.lines }}' }),
    node('line', 'core.set', { fields: [{ name: 'sku', value: '{{ $json.sku }}' }] }),
    node('gather', 'core.collect'),
    node('reply', 'core.respond', { status: 200 }),
  ],
  [
    edge('e1', 'in', 'check'),
    edge('e2', 'check', 'loop', 'true'),
    edge('e3', 'loop', 'line', 'item'),
    edge('e4', 'line', 'gather'),
    edge('e5', 'gather', 'reply'),
  ],
);

describe('validateFlow', () => {
  it('accepts a valid flow and returns the parsed document', () => {
    const result = validateFlow(valid, nodeRegistry);
    expect(result.problems).toEqual([]);
    expect(result.document?.nodes).toHaveLength(6);
    expect(result.document?.credentials).toEqual({});
  });

  it('reports shape errors with paths and node ids, and still checks the rest', () => {
    const input = {
      format: FLOW_FORMAT, name: 'x',
      nodes: [node('t', 'core.manual-trigger'), { id: 'broken', type: 'core.set', typeVersion: 0 }, node('u', 'core.nope')],
      edges: [edge('e1', 't', 'broken'), edge('e2', 't', 'u')],
    };
    const result = validateFlow(input, nodeRegistry);
    expect(result.document).toBeUndefined();
    const shape = result.problems.filter((p) => p.code === 'invalid_document');
    expect(shape.length).toBeGreaterThan(0);
    expect(shape.every((p) => p.nodeId === 'broken')).toBe(true);
    expect(shape.map((p) => p.path)).toContainEqual(['nodes', 1, 'typeVersion']);
    // The unknown type is found in the same pass; the edge to the malformed node is not called dangling.
    expect(codes(result.problems).filter((c) => c !== 'invalid_document')).toEqual(['unknown_type']);
  });

  it('rejects something that is not a document at all', () => {
    const result = validateFlow('nope', nodeRegistry);
    expect(result.problems[0]).toMatchObject({ code: 'invalid_document', message: expect.stringContaining('document') });
  });

  it('names unknown types and versions in plain words', () => {
    const result = validateFlow(flow([node('t', 'core.manual-trigger'), node('reply', 'core.respnd'), node('v', 'core.if', {}, { typeVersion: 3 })], []), nodeRegistry);
    expect(result.problems).toEqual([
      { code: 'unknown_type', nodeId: 'reply', path: ['type'], message: 'node "reply": unknown node type "core.respnd" version 1' },
      { code: 'unknown_version', nodeId: 'v', path: ['typeVersion'], message: 'node "v": node type "core.if" has no version 3 (available: 1)' },
    ]);
  });

  it('reports duplicate node and edge ids', () => {
    const result = validateFlow(flow(
      [node('t', 'core.manual-trigger'), node('a', 'core.set'), node('a', 'core.set')],
      [edge('e1', 't', 'a'), edge('e1', 't', 'a')],
    ), nodeRegistry);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'duplicate_node_id', nodeId: 'a' }),
      expect.objectContaining({ code: 'duplicate_edge_id', edgeId: 'e1' }),
    ]);
  });

  it('reports props errors with their path, skipping values that are expressions', () => {
    const result = validateFlow(flow([
      node('t', 'core.manual-trigger'),
      node('loop', 'core.for-each', { concurrency: 0 }),
      node('later', 'core.for-each', { concurrency: '{{ $vars.parallel }}' }),
      node('s', 'core.set', { fields: [{ name: 'a..b', value: 1 }, { name: '{{ $json.key }}', value: 2 }] }),
      node('w', 'core.wait', { mode: 'until', until: '{{ $json.remindAt }}' }),
    ], []), nodeRegistry);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'invalid_props', nodeId: 'loop', path: ['props', 'concurrency'], message: expect.stringMatching(/^node "loop": props\.concurrency: /) }),
      expect.objectContaining({ code: 'invalid_props', nodeId: 's', path: ['props', 'fields', 0, 'name'], message: expect.stringContaining('props.fields[0].name') }),
    ]);
  });

  it('does not excuse expressions in literal props', () => {
    const result = validateFlow(flow([node('cron', 'core.schedule', { cron: '{{ $json.cron }}' })], []), nodeRegistry);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'invalid_props', nodeId: 'cron', path: ['props', 'cron'] })]);
  });

  it('reports dangling edges at the missing end', () => {
    const result = validateFlow(flow([node('t', 'core.manual-trigger'), node('a', 'core.set')], [
      edge('e1', 't', 'ghost'), edge('e2', 'phantom', 'a'),
    ]), nodeRegistry);
    expect(result.problems).toEqual([
      { code: 'dangling_edge', edgeId: 'e1', path: ['target'], message: 'edge "e1": its target node "ghost" does not exist' },
      { code: 'dangling_edge', edgeId: 'e2', path: ['source'], message: 'edge "e2": its source node "phantom" does not exist' },
    ]);
  });

  it('checks output ports, including dynamic Switch outputs and the error port', () => {
    const rule = (port: string) => ({ port, conditions: [{ left: 1, operator: 'equals', right: 1 }] });
    const result = validateFlow(flow([
      node('t', 'core.manual-trigger'),
      node('sw', 'core.switch', { rules: [rule('vip'), rule('rest')] }),
      node('a', 'core.set'),
      node('b', 'core.set', {}, { settings: { onError: 'route' } }),
    ], [
      edge('e1', 't', 'sw'), edge('e2', 'sw', 'vip-typo'), edge('e3', 'sw', 'a', 'default'), edge('e4', 'sw', 'a', 'vip'),
      edge('e5', 'a', 'b', 'error'), edge('e6', 'b', 'a', 'error'),
    ].map((e) => (e.id === 'e2' ? { ...e, target: 'a', sourceHandle: 'vip-typo' } : e))), nodeRegistry);
    expect(result.problems.filter((p) => p.code === 'unknown_port')).toEqual([
      expect.objectContaining({ edgeId: 'e2', nodeId: 'sw', message: 'edge "e2": node "sw" has no output "vip-typo" (outputs: "vip", "rest", "default")' }),
      expect.objectContaining({ edgeId: 'e5', nodeId: 'a', message: expect.stringContaining('onError: "route"') }),
    ]);
  });

  it('refuses edges into a trigger and unknown input ports', () => {
    const result = validateFlow(flow([node('t', 'core.manual-trigger'), node('a', 'core.set')], [
      edge('e1', 't', 'a', 'main', 'side'), edge('e2', 'a', 't'),
    ]), nodeRegistry);
    expect(result.problems.map((p) => p.message)).toEqual([
      'edge "e1": node "a" has no input "side" (inputs: "main")',
      'edge "e2": node "t" is a trigger and has no inputs',
    ]);
  });

  it('requires a trigger, and an enabled one for activation', () => {
    expect(codes(validateFlow(flow([node('a', 'core.set')], []), nodeRegistry).problems)).toEqual(['no_trigger']);
    const disabled = flow([node('t', 'core.manual-trigger', {}, { disabled: true })], []);
    expect(validateFlow(disabled, nodeRegistry).problems).toEqual([]);
    expect(codes(validateFlow(disabled, nodeRegistry, { forActivation: true }).problems)).toEqual(['no_trigger']);
  });

  it('reports cycles and explains the loop alternative', () => {
    const result = validateFlow(flow(
      [node('t', 'core.manual-trigger'), node('a', 'core.set'), node('b', 'core.set'), node('c', 'core.set')],
      [edge('e1', 't', 'a'), edge('e2', 'a', 'b'), edge('e3', 'b', 'a'), edge('e4', 'c', 'c')],
    ), nodeRegistry);
    expect(result.problems).toEqual([
      { code: 'cycle', nodeId: 'a', message: 'nodes "a", "b" form a cycle; cycles are only allowed through a loop — use For each + Collect' },
      { code: 'cycle', nodeId: 'c', message: 'node "c" connects to itself; cycles are only allowed through a loop — use For each + Collect' },
    ]);
  });

  it('requires a For each before a Collect', () => {
    const result = validateFlow(flow([node('t', 'core.manual-trigger'), node('g', 'core.collect')], [edge('e1', 't', 'g')]), nodeRegistry);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'collect_without_loop', nodeId: 'g' })]);
  });

  it('finds duplicate webhook paths in the document, and across active flows when activating', () => {
    const doc = flow([
      node('a', 'core.webhook', { path: 'dm' }),
      node('b', 'core.webhook', { path: 'dm', method: 'POST' }),
      node('c', 'core.webhook', { path: 'dm', method: 'GET' }),
      node('d', 'core.webhook', { path: 'old', method: 'GET' }, { disabled: true }),
      node('e', 'core.webhook', { path: 'old', method: 'GET' }),
    ], []);
    const owners: Record<string, string> = { 'GET dm': 'flow-other', 'POST dm': 'flow-self', 'GET old': 'flow-self' };
    const webhookOwner = (path: string, method: string) => owners[`${method} ${path}`];
    const result = validateFlow(doc, nodeRegistry, { flowId: 'flow-self', forActivation: true, webhookOwner });
    const inDocument = expect.objectContaining({ code: 'duplicate_webhook_path', nodeId: 'b', message: 'node "b": webhook POST /hooks/dm is also used by node "a" of this flow' });
    expect(result.problems).toEqual([
      inDocument,
      expect.objectContaining({ code: 'duplicate_webhook_path', nodeId: 'c', message: 'node "c": webhook GET /hooks/dm is already used by active flow "flow-other"' }),
    ]);
    // Saving or running once registers no webhook, so another active flow's path is no conflict then.
    expect(validateFlow(doc, nodeRegistry, { flowId: 'flow-new', webhookOwner }).problems).toEqual([inDocument]);
  });

  describe('credentials', () => {
    const hook = (credentials?: Record<string, string>) => node('in', 'core.webhook', { path: 'x' }, credentials ? { credentials } : {});
    const secret = { kind: 'hmac-secret', name: 'Shared secret' };

    it('accepts a slot bound to an entry of the right kind', () => {
      expect(validateFlow(flow([hook({ signature: 'sig' })], [], { credentials: { sig: secret } }), nodeRegistry).problems).toEqual([]);
    });

    it('reports unknown slots, missing entries and wrong kinds', () => {
      const result = validateFlow(flow([
        hook({ signature: 'gone', extra: 'sig' }),
        node('in2', 'core.webhook', { path: 'y' }, { credentials: { signature: 'bearer' } }),
      ], [], { credentials: { sig: secret, bearer: { kind: 'http-bearer' } } }), nodeRegistry);
      expect(result.problems).toEqual([
        expect.objectContaining({ code: 'missing_credential', nodeId: 'in', path: ['credentials', 'signature'] }),
        expect.objectContaining({ code: 'unknown_credential_slot', nodeId: 'in', message: 'node "in": "core.webhook" has no credential slot "extra" (slots: signature)' }),
        expect.objectContaining({
          code: 'credential_kind_mismatch', nodeId: 'in2',
          message: 'node "in2": slot "signature" needs a "hmac-secret" credential, but "bearer" is "http-bearer"',
        }),
      ]);
    });

    it('does not require optional slots for activation', () => {
      expect(validateFlow(flow([hook()], []), nodeRegistry, { forActivation: true }).problems).toEqual([]);
    });

    it('requires required slots to be bound to a saved credential for activation', () => {
      const registry = {
        ...nodeRegistry,
        'test.needs-key@1': { ...nodeRegistry['core.set@1']!, type: 'test.needs-key', credentials: { api: { kind: 'openai', title: 'OpenAI key' } } },
      };
      const doc = (credentials?: Record<string, string>) => flow(
        [node('t', 'core.manual-trigger'), node('ai', 'test.needs-key', {}, credentials ? { credentials } : {})],
        [edge('e1', 't', 'ai')],
        { credentials: { key: { kind: 'openai' }, saved: { kind: 'openai', id: 'cred_1' } } },
      );
      expect(validateFlow(doc(), registry).problems).toEqual([]);
      expect(validateFlow(doc(), registry, { forActivation: true }).problems).toEqual([
        expect.objectContaining({ code: 'credential_unbound', nodeId: 'ai', message: 'node "ai": choose a credential for "OpenAI key"' }),
      ]);
      expect(validateFlow(doc({ api: 'key' }), registry, { forActivation: true }).problems).toEqual([
        expect.objectContaining({ code: 'credential_unbound', message: 'node "ai": credential "key" (slot "api") is not connected to a saved credential' }),
      ]);
      expect(validateFlow(doc({ api: 'saved' }), registry, { forActivation: true }).problems).toEqual([]);
    });
  });

  it('reports every kind of problem in one pass', () => {
    const result = validateFlow(flow(
      [node('a', 'core.set', { fields: 'nope' }), node('b', 'core.nope'), node('g', 'core.collect')],
      [edge('e1', 'a', 'missing'), edge('e2', 'a', 'g'), edge('e3', 'g', 'a')],
    ), nodeRegistry);
    expect(codes(result.problems)).toEqual(['collect_without_loop', 'cycle', 'dangling_edge', 'invalid_props', 'no_trigger', 'unknown_type']);
  });
});
