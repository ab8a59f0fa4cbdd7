import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useBlocker } from '@remix-run/react';
import { useReactFlow } from '@xyflow/react';
import { FLOW_FORMAT, type FlowDocument } from '../../runtime/flow/document.js';
import type { FlowRecord, NodeCatalogEntry } from '../../runtime/services/types.js';
import { api, plainMessage, problemsOf, type Problem } from './api';
import { Canvas } from './canvas/Canvas';
import { firstFitOptions } from './canvas/fit';
import { Palette } from './canvas/Palette';
import { EditorBar } from './EditorBar';
import { downloadExport } from './flows-actions';
import { useCredentials } from './inspector/credentials';
import { Inspector } from './inspector/Inspector';
import { RunDialog } from './run/RunDialog';
import { usePinStorage } from './run/pins';
import { useRunFollower } from './run/useRun';
import { ShortcutsHelp } from './ShortcutsHelp';
import { ChatSimulator } from './simulator/ChatSimulator';
import { useEditor, useEditorStore } from './store/context';
import { pinsForRun } from './store/pin-slice';
import { nodeTitle } from './store/graph';
import { selectedNodeId } from './store/store';
import { catalogKey } from './store/types';
import { ProblemList } from './ui/bits';
import { ConfirmDialog } from './ui/Modal';
import { useShortcuts } from './useShortcuts';
import { useValidation } from './useValidation';
import { VersionsPanel } from './VersionsPanel';
import { ExportTemplateModal } from './templates/ExportTemplateModal';
import { useMissingCredentials } from './templates/useMissingCredentials';

interface Meta { id?: string; active: boolean; version: number }

/** The flow editor page: loads the catalog and the flow, and wires saving, runs, history and panels. */
export function Editor({ flowId, onCreated }: { flowId?: string; onCreated(id: string): void }) {
  const store = useEditorStore();
  const flow = useReactFlow();
  const [meta, setMeta] = useState<Meta>({ id: flowId, active: false, version: 0 });
  const [loadError, setLoadError] = useState<string>();
  const [failure, setFailure] = useState<{ title: string; problems: Problem[] }>();
  const [saving, setSaving] = useState(false);
  const [panel, setPanel] = useState<'versions' | 'help' | 'run' | 'template' | undefined>();
  const [chatOpen, setChatOpen] = useState(false);
  const [viewing, setViewing] = useState<number>();
  const selected = useEditor(selectedNodeId);
  const pinCount = useEditor((s) => Object.keys(pinsForRun(s.pins, s.nodes.map((n) => n.id)) ?? {}).length);
  const creds = useCredentials();
  const { follow } = useRunFollower();
  useValidation(meta.id);
  useMissingCredentials();
  usePinStorage(meta.id);
  /** The flow already in the store: a first save changes `flowId` but must not reload it. */
  const loaded = useRef<string>();

  const applyRecord = useCallback((record: FlowRecord) => {
    setMeta({ id: record.id, active: record.active, version: record.version });
  }, []);

  useEffect(() => {
    if (flowId && flowId === loaded.current) return;
    let cancelled = false;
    (async () => {
      // Both requests at once: opening a flow waits for one round trip, not two.
      const [catalog, record] = await Promise.all([
        api<NodeCatalogEntry[]>('/nodes'),
        flowId ? api<FlowRecord>(`/flows/${encodeURIComponent(flowId)}`) : undefined,
      ]);
      if (cancelled) return;
      store.getState().setCatalog(catalog);
      if (!record) {
        store.getState().load({ format: FLOW_FORMAT, name: 'Untitled flow', nodes: [], edges: [], credentials: {} });
        return;
      }
      store.getState().load(record.document);
      loaded.current = record.id;
      applyRecord(record);
      requestAnimationFrame(() => void flow.fitView(firstFitOptions(document.querySelector('.editor-body > .canvas'))));
    })().catch((e) => setLoadError(plainMessage(e)));
    return () => { cancelled = true; };
  }, [flowId, store, flow, applyRecord]);

  const label = useCallback((id: string) => {
    const s = store.getState();
    return nodeTitle(s.nodes.find((n) => n.id === id), s.catalog);
  }, [store]);

  /** Saves; resolves to the flow id, or undefined when the server refused (problems are shown). */
  const save = useCallback(async (): Promise<string | undefined> => {
    const s = store.getState();
    if (s.readOnly) return meta.id;
    setSaving(true);
    setFailure(undefined);
    try {
      const document = s.toDocument();
      // Draft saves keep work in progress; its problems come back and stay marked on the canvas.
      // (An active flow is saved strictly by the server: its triggers move to what is saved.)
      const record = meta.id
        ? await api<FlowRecord>(`/flows/${meta.id}?draft=true`, { method: 'PUT', body: document })
        : await api<FlowRecord>('/flows?draft=true', { method: 'POST', body: document });
      store.getState().markSaved();
      store.getState().setProblems(record.problems ?? []);
      applyRecord(record);
      if (!meta.id) {
        loaded.current = record.id;
        onCreated(record.id);
      }
      return record.id;
    } catch (e) {
      const problems = problemsOf(e);
      store.getState().setProblems(problems);
      setFailure({ title: `Not saved: ${plainMessage(e)}`, problems });
      return undefined;
    } finally {
      setSaving(false);
    }
  }, [store, meta.id, applyRecord, onCreated]);

  const startRun = useCallback(async (input: unknown) => {
    setPanel(undefined);
    const id = store.getState().dirty || !meta.id ? await save() : meta.id;
    if (!id) return;
    try {
      // `pinned` (outputs to reuse instead of running those steps) is ignored by servers that predate it.
      const s = store.getState();
      const pinned = pinsForRun(s.pins, s.nodes.map((n) => n.id));
      const { executionId } = await api<{ executionId: string }>(`/flows/${id}/run`, { method: 'POST', body: { input, ...(pinned ? { pinned } : {}) } });
      follow(executionId);
    } catch (e) {
      setFailure({ title: `The test run did not start: ${plainMessage(e)}`, problems: problemsOf(e) });
    }
  }, [store, meta.id, save, follow]);

  const rerunFrom = useCallback(async (stepKey: string) => {
    const run = store.getState().run;
    if (!run) return;
    try {
      const { executionId } = await api<{ executionId: string }>(`/executions/${run.executionId}/rerun`, { method: 'POST', body: { fromStep: stepKey } });
      follow(executionId);
    } catch (e) {
      setFailure({ title: `Could not re-run: ${plainMessage(e)}`, problems: [] });
    }
  }, [store, follow]);

  const toggleActive = useCallback(async (next: boolean) => {
    const id = store.getState().dirty ? await save() : meta.id;
    if (!id) return;
    setFailure(undefined);
    try {
      applyRecord(await api<FlowRecord>(`/flows/${id}/${next ? 'activate' : 'deactivate'}`, { method: 'POST' }));
    } catch (e) {
      const problems = problemsOf(e);
      store.getState().setProblems(problems);
      setFailure({ title: `Not activated: ${plainMessage(e)}`, problems });
    }
  }, [store, meta.id, save, applyRecord]);

  const viewVersion = useCallback(async (version: number) => {
    if (!meta.id) return;
    if (version === meta.version && viewing !== undefined) {
      const record = await api<FlowRecord>(`/flows/${meta.id}`);
      store.getState().load(record.document);
      setViewing(undefined);
      return;
    }
    if (store.getState().dirty && !window.confirm('You have unsaved changes. Look at the old version and lose them?')) return;
    const document = await api<FlowDocument>(`/flows/${meta.id}/versions/${version}`);
    store.getState().load(document, { readOnly: true });
    setViewing(version);
  }, [store, meta.id, meta.version, viewing]);

  const restore = useCallback(async () => {
    const document = store.getState().toDocument();
    store.getState().load(document);
    setViewing(undefined);
    store.setState({ dirty: true });
    await save();
  }, [store, save]);

  const openSettings = useCallback(() => store.getState().setPanel('settings'), [store]);

  const addFromPalette = useCallback((entry: NodeCatalogEntry) => {
    const s = store.getState();
    const fromId = s.addFrom?.nodeId ?? (entry.ports.in.length > 0 ? selectedNodeId(s) : undefined);
    const from = fromId ? s.nodes.find((n) => n.id === fromId) : undefined;
    const fromEntry = from ? s.catalog[catalogKey(from.data.type, from.data.typeVersion)] : undefined;
    const handle = s.addFrom?.handle ?? fromEntry?.ports.out[0];
    let position;
    if (from && handle) {
      position = { x: from.position.x + 280, y: from.position.y + s.edges.filter((e) => e.source === from.id).length * 100 };
    } else {
      const box = document.querySelector('.canvas')?.getBoundingClientRect();
      position = flow.screenToFlowPosition({ x: (box?.left ?? 0) + (box?.width ?? 800) / 2, y: (box?.top ?? 0) + (box?.height ?? 600) / 2 });
    }
    s.addNode(entry.type, entry.version, position, from && handle ? { nodeId: from.id, handle } : undefined);
    s.setAddFrom(undefined);
  }, [store, flow]);

  const actions = useMemo(() => ({
    save: () => void save(),
    help: () => setPanel('help'),
    escape: () => {
      setPanel(undefined);
      const s = store.getState();
      s.setAddFrom(undefined);
      s.onNodesChange(s.nodes.filter((n) => n.selected).map((n) => ({ type: 'select' as const, id: n.id, selected: false })));
    },
  }), [save, store]);
  useShortcuts(actions);

  // Leaving with unsaved changes: the browser asks on reload/close; in-app links ask here.
  useEffect(() => {
    const onUnload = (e: BeforeUnloadEvent) => { if (store.getState().dirty) e.preventDefault(); };
    window.addEventListener('beforeunload', onUnload);
    return () => window.removeEventListener('beforeunload', onUnload);
  }, [store]);
  // Read from the store, not the render: right after a first save the component has not re-rendered yet.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => store.getState().dirty && !store.getState().readOnly && currentLocation.pathname !== nextLocation.pathname);

  if (loadError) return <div className="page-inner"><div className="banner error" role="alert">Could not open this flow: {loadError}</div></div>;
  const trigger = (() => {
    const s = store.getState();
    for (const n of s.nodes) { const t = s.catalog[catalogKey(n.data.type, n.data.typeVersion)]?.trigger; if (t) return { kind: t, node: n }; }
    return undefined;
  })();
  const hookPath = trigger?.kind === 'webhook' && typeof trigger.node.data.props.path === 'string' ? trigger.node.data.props.path : undefined;
  // The channel of a channel trigger: the kind of the account bound to it (the chat simulator looks like it).
  const channelKind = trigger?.kind === 'channel'
    ? Object.values(trigger.node.data.credentials ?? {}).map((key) => store.getState().credentials[key]?.kind).find((k) => k !== undefined)
    : undefined;

  return (
    <div className="editor">
      <EditorBar flowId={meta.id} active={meta.active} saving={saving} actions={{
        ...actions, run: () => setPanel('run'), toggleActive: (next) => void toggleActive(next),
        versions: () => setPanel(panel === 'versions' ? undefined : 'versions'),
        exportFlow: () => { if (meta.id) void downloadExport(meta.id, store.getState().name); },
        exportTemplate: () => setPanel('template'),
        ...(trigger?.kind === 'channel' ? { chat: () => setChatOpen((open) => !open) } : {}),
      }} />
      {viewing !== undefined && (
        <div className="banner info row" role="status" style={{ margin: 0, borderRadius: 0 }}>
          <span className="grow">You are looking at version {viewing} (read-only).</span>
          <button type="button" className="small primary" onClick={() => void restore()}>Restore this version</button>
          <button type="button" className="small" onClick={() => void viewVersion(meta.version)}>Back to the latest</button>
        </div>
      )}
      {failure && <div style={{ padding: '8px 12px 0' }}><ProblemList title={failure.title} problems={failure.problems} nodeLabel={label} /></div>}
      <div className="editor-body">
        <Palette onAdd={addFromPalette} />
        <Canvas onNodeOpen={openSettings} />
        {selected ? <Inspector nodeId={selected} creds={creds} onRerunFrom={(k) => void rerunFrom(k)} testListen={{
          prepare: async () => (store.getState().dirty || !meta.id ? save() : meta.id),
          onExecution: (executionId) => follow(executionId),
        }} />
          : panel === 'versions' && meta.id ? <VersionsPanel flowId={meta.id} current={meta.version} viewing={viewing} onView={(v) => void viewVersion(v)} onClose={() => setPanel(undefined)} />
            : null}
        {chatOpen && trigger?.kind === 'channel' && (
          <ChatSimulator flowId={meta.id} channel={channelKind} onClose={() => setChatOpen(false)} onExecution={(executionId) => follow(executionId)}
            prepare={async () => (store.getState().dirty || !meta.id ? save() : meta.id)} />
        )}
      </div>
      {panel === 'help' && <ShortcutsHelp onClose={() => setPanel(undefined)} />}
      {panel === 'template' && meta.id && <ExportTemplateModal flowId={meta.id} onClose={() => setPanel(undefined)} />}
      {panel === 'run' && (
        <RunDialog trigger={trigger?.kind} pinCount={pinCount} onClose={() => setPanel(undefined)} onRun={(input) => void startRun(input)}
          listen={hookPath ? {
            url: `${window.location.origin}/hooks/${hookPath}`,
            active: meta.active,
            activate: () => toggleActive(true),
            prepare: async () => (store.getState().dirty || !meta.id ? save() : meta.id),
            onExecution: (executionId) => { setPanel(undefined); follow(executionId); },
          } : undefined} />
      )}
      {blocker.state === 'blocked' && (
        <ConfirmDialog title="Leave without saving?" confirmLabel="Leave and lose changes"
          message={<p>This flow has changes that are not saved. If you leave now they are lost.</p>}
          onCancel={() => blocker.reset()} onConfirm={() => blocker.proceed()} />
      )}
    </div>
  );
}
