import { describe, expect, it } from 'vitest';
import type { NodeCatalogEntry } from '../../../runtime/services/types.js';
import { outputPorts } from './graph';
import { fieldErrors } from './run-slice';
import { createEditorStore, selectedNodeId } from './store';

function entry(type: string, ports: { in: string[]; out: string[]; dynamicOut?: boolean }, extra: Partial<NodeCatalogEntry> = {}): NodeCatalogEntry {
  return {
    type, version: 1, title: type.split('.')[1]!, category: 'Core', description: '', icon: 'box',
    propsSchema: { type: 'object', properties: { status: { type: 'integer', default: 200 } } },
    ports: { dynamicOut: false, ...ports }, credentials: {}, sideEffects: false, ...extra,
  };
}

const catalog = [
  entry('core.webhook', { in: [], out: ['main'] }, { trigger: 'webhook' }),
  entry('core.if', { in: ['main'], out: ['true', 'false'] }),
  entry('core.respond', { in: ['main'], out: ['main'] }),
  entry('core.switch', { in: ['main'], out: ['default'], dynamicOut: true }),
  entry('telegram.send-and-wait-choice', { in: ['main'], out: ['yes', 'no', 'other', 'timeout'], dynamicOut: true }, {
    propsSchema: { type: 'object', properties: { choices: { type: 'array', default: [{ id: 'yes', title: 'Yes' }, { id: 'no', title: 'No' }] } } },
  }),
];

function setup() {
  const store = createEditorStore();
  store.getState().setCatalog(catalog);
  const s = () => store.getState();
  const hook = s().addNode('core.webhook', 1, { x: 0, y: 0 })!;
  const cond = s().addNode('core.if', 1, { x: 240, y: 0 })!;
  const yes = s().addNode('core.respond', 1, { x: 480, y: -80 })!;
  const no = s().addNode('core.respond', 1, { x: 480, y: 80 })!;
  return { store, s, hook, cond, yes, no };
}

describe('editor store: graph edits', () => {
  it('adds nodes with readable unique ids, default props and explicit sizes', () => {
    const { s, yes, no, cond } = setup();
    expect([yes, no]).toEqual(['respond', 'respond-2']);
    const node = s().nodes.find((n) => n.id === cond)!;
    expect(node.data.props).toEqual({ status: 200 });
    expect(node.width).toBe(200);
    expect(node.height).toBeGreaterThan(56); // two output rows
    expect(selectedNodeId(s())).toBe('respond-2');
  });

  it('connects ports and refuses wrong ports, triggers as targets, duplicates and cycles with a reason', () => {
    const { s, hook, cond, yes } = setup();
    expect(s().connect({ source: hook, sourceHandle: 'main', target: cond, targetHandle: 'main' })).toBeUndefined();
    expect(s().connect({ source: cond, sourceHandle: 'true', target: yes, targetHandle: 'main' })).toBeUndefined();
    expect(s().edges).toHaveLength(2);
    expect(s().connect({ source: cond, sourceHandle: 'maybe', target: yes, targetHandle: 'main' })).toMatch(/no output named “maybe”/);
    expect(s().connect({ source: yes, sourceHandle: 'main', target: hook, targetHandle: 'main' })).toMatch(/is a trigger/);
    expect(s().connect({ source: cond, sourceHandle: 'true', target: yes, targetHandle: 'main' })).toMatch(/already connected/);
    expect(s().connect({ source: yes, sourceHandle: 'main', target: cond, targetHandle: 'main' })).toMatch(/loop back/);
    expect(s().connect({ source: yes, sourceHandle: 'main', target: yes, targetHandle: 'main' })).toMatch(/itself/);
    expect(s().edges).toHaveLength(2);
  });

  it('gives a Switch one output per rule and drops edges of a removed rule', () => {
    const { s, yes } = setup();
    const sw = s().addNode('core.switch', 1, { x: 0, y: 300 })!;
    s().updateNode(sw, { props: { rules: [{ port: 'vip', label: 'VIP' }] } });
    expect(s().connect({ source: sw, sourceHandle: 'vip', target: yes, targetHandle: 'main' })).toBeUndefined();
    s().updateNode(sw, { props: { rules: [] } });
    expect(s().edges.filter((e) => e.source === sw)).toHaveLength(0);
  });

  it('gives a send-and-wait-choice one output per choice, then its fixed outputs, without the default choices\' outputs', () => {
    const { s, yes } = setup();
    const ask = s().addNode('telegram.send-and-wait-choice', 1, { x: 0, y: 300 })!;
    s().updateNode(ask, { props: { choices: [{ id: 'small', title: 'Small' }, { id: 'yes', title: 'Yes please' }] } });
    const node = s().nodes.find((n) => n.id === ask)!;
    expect(outputPorts(catalog[4], node.data)).toEqual([
      { id: 'small', label: 'Small' }, { id: 'yes', label: 'Yes please' }, { id: 'other', label: 'other' }, { id: 'timeout', label: 'timeout' },
    ]);
    expect(s().connect({ source: ask, sourceHandle: 'small', target: yes, targetHandle: 'main' })).toBeUndefined();
    expect(s().connect({ source: ask, sourceHandle: 'no', target: yes, targetHandle: 'main' })).toMatch(/no output named “no”/);
  });

  it('deletes the selection with its edges, copies and pastes with fresh ids', () => {
    const { s, hook, cond } = setup();
    s().connect({ source: hook, sourceHandle: 'main', target: cond, targetHandle: 'main' });
    s().onNodesChange(s().nodes.map((n) => ({ type: 'select', id: n.id, selected: n.id === hook || n.id === cond })));
    const text = s().copySelection()!;
    expect(s().paste(text)).toBe(true);
    expect(s().nodes.map((n) => n.id)).toContain('webhook-2');
    expect(s().edges.some((e) => e.source === 'webhook-2' && e.target === 'if-2')).toBe(true);
    s().deleteSelected();
    expect(s().nodes.map((n) => n.id)).not.toContain('webhook-2');
    expect(s().edges).toHaveLength(1);
  });

  it('round-trips through the flow document', () => {
    const { s, hook, cond } = setup();
    s().connect({ source: hook, sourceHandle: 'main', target: cond, targetHandle: 'main' });
    s().setName('Orders');
    const doc = s().toDocument();
    expect(doc).toMatchObject({ format: 'switchyard/flow@1', name: 'Orders', credentials: {} });
    expect(doc.edges).toEqual([{ id: 'webhook.main-if', source: 'webhook', sourceHandle: 'main', target: 'if', targetHandle: 'main' }]);
    s().load(doc);
    expect(s().nodes).toHaveLength(4);
    expect(s().dirty).toBe(false);
  });
});

describe('editor store: undo/redo', () => {
  it('undoes and redoes adds, connections and deletes', () => {
    const { s, hook, cond } = setup();
    s().connect({ source: hook, sourceHandle: 'main', target: cond, targetHandle: 'main' });
    s().undo();
    expect(s().edges).toHaveLength(0);
    s().undo();
    expect(s().nodes).toHaveLength(3);
    s().redo();
    s().redo();
    expect(s().nodes).toHaveLength(4);
    expect(s().edges).toHaveLength(1);
  });

  it('makes one step of a drag and of typing into one field', () => {
    const { s, cond } = setup();
    const before = s().past.length;
    s().onNodesChange([{ type: 'position', id: cond, position: { x: 250, y: 0 }, dragging: true }]);
    s().onNodesChange([{ type: 'position', id: cond, position: { x: 260, y: 0 }, dragging: true }]);
    s().onNodesChange([{ type: 'position', id: cond, position: { x: 260, y: 0 }, dragging: false }]);
    s().updateNode(cond, { label: 'C' }, 'label');
    s().updateNode(cond, { label: 'Ch' }, 'label');
    expect(s().past.length).toBe(before + 2);
    s().undo();
    expect(s().nodes.find((n) => n.id === cond)!.data.label).toBeUndefined();
    s().undo();
    expect(s().nodes.find((n) => n.id === cond)!.position).toEqual({ x: 240, y: 0 });
  });

  it('does nothing to a read-only version', () => {
    const { s } = setup();
    s().load(s().toDocument(), { readOnly: true });
    expect(s().addNode('core.if', 1, { x: 0, y: 0 })).toBeUndefined();
    s().deleteSelected();
    expect(s().nodes).toHaveLength(4);
  });
});

describe('editor store: validation problems', () => {
  it('maps problems to nodes (edge problems to their source) and props paths to fields', () => {
    const { s, hook, cond } = setup();
    s().connect({ source: hook, sourceHandle: 'main', target: cond, targetHandle: 'main' });
    s().setProblems([
      { code: 'invalid_props', nodeId: cond, path: ['props', 'conditions', 0, 'left'], message: 'node "if": props.conditions[0].left: required' },
      { code: 'dangling_edge', edgeId: 'webhook.main-if', message: 'edge broken' },
      { code: 'no_trigger', message: 'no trigger' },
    ]);
    expect(Object.keys(s().problemsByNode).sort()).toEqual([cond, hook].sort());
    expect(fieldErrors(s().problemsByNode[cond])).toEqual({ 'conditions.0.left': 'required' });
  });
});

describe('editor store: run view', () => {
  const step = (nodeId: string, seq: number) => ({
    seq, stepKey: `${nodeId}#${seq}`, nodeId, nodeType: 'core.respond', status: 'succeeded' as const, attempt: 1,
    input: null, output: { main: seq }, error: null, startedAt: '', finishedAt: '', durationMs: 1,
  });
  const record = { id: 'e1', flowId: 'f1', flowVersion: 1, status: 'succeeded' as const, mode: 'manual' as const, createdAt: '', startedAt: null, finishedAt: null, error: null, triggerInput: null, result: null, nextStepsAfter: null };

  it('shows each node\'s latest step and how many times it ran, from a full record or from the per-node counts', () => {
    const { s, hook, yes } = setup();
    s().startRun('e1');
    s().applySnapshot({ ...record, steps: [step(hook, 1), step(yes, 2), step(yes, 3)], stepCount: 3 });
    expect(s().steps[yes]?.seq).toBe(3);
    expect(s().stepCounts).toEqual({ [hook]: 1, [yes]: 2 });
    expect(s().nodeStatus[yes]).toBe('succeeded');

    s().applySnapshot({ ...record, steps: [step(hook, 1), step(yes, 1201)], stepCount: 1201, nodeStepCounts: { [hook]: 1, [yes]: 1200 } });
    expect(s().stepCounts[yes]).toBe(1200);
    s().clearRun();
    expect(s().stepCounts).toEqual({});
  });
});
