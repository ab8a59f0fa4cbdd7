import { useCallback, useMemo } from 'react';
import { useEditor } from '../store/context';
import { nodeTitle } from '../store/graph';
import { fieldErrors } from '../store/run-slice';
import { catalogKey } from '../store/types';
import { SchemaForm } from '../form/SchemaForm';
import { expressionContext } from '../run/sample';
import { PinnedPanel } from '../run/PinnedOutput';
import { usePinSupport } from '../run/pins';
import { StepData } from '../run/StepData';
import { ChannelTestListen, type ChannelTestListenProps } from '../run/ChannelTestListen';
import { CommonSettings } from './CommonSettings';
import { CredentialSlots } from './CredentialSlots';
import type { useCredentials } from './credentials';

/** The side panel for the selected node: its settings form, credentials, common settings and run data. */
export function Inspector({ nodeId, creds, onRerunFrom, testListen }: {
  nodeId: string;
  creds: ReturnType<typeof useCredentials>;
  onRerunFrom(stepKey: string): void;
  /** "Listen for a test event", offered on channel triggers. Default: not offered. */
  testListen?: Omit<ChannelTestListenProps, 'nodeId'>;
}) {
  const node = useEditor((s) => s.nodes.find((n) => n.id === nodeId));
  const entry = useEditor((s) => (node ? s.catalog[catalogKey(node.data.type, node.data.typeVersion)] : undefined));
  const problems = useEditor((s) => s.problemsByNode[nodeId]);
  const step = useEditor((s) => s.steps[nodeId]);
  const lastRecord = useEditor((s) => s.lastRecord);
  const edges = useEditor((s) => s.edges);
  const catalog = useEditor((s) => s.catalog);
  const nodes = useEditor((s) => s.nodes);
  const panel = useEditor((s) => s.panel);
  const setPanel = useEditor((s) => s.setPanel);
  const update = useEditor((s) => s.updateNode);
  const readOnly = useEditor((s) => s.readOnly);
  const deleteSelected = useEditor((s) => s.deleteSelected);
  const pin = useEditor((s) => s.pins[nodeId]);
  const pinOutput = useEditor((s) => s.pinOutput);
  const unpin = useEditor((s) => s.unpin);
  const pinSupport = usePinSupport();

  const label = useCallback((id: string) => nodeTitle(nodes.find((n) => n.id === id), catalog), [nodes, catalog]);
  const sample = useMemo(() => expressionContext(nodeId, lastRecord, edges, label), [nodeId, lastRecord, edges, label]);
  const errors = useMemo(() => fieldErrors(problems), [problems]);
  const onChange = useCallback((props: Record<string, unknown>, key: string) => update(nodeId, { props }, `props.${key}`), [update, nodeId]);

  if (!node) return null;
  const otherProblems = (problems ?? []).filter((p) => p.path?.[0] !== 'props');

  return (
    <aside className="side inspector" aria-label={`Inspector: ${label(nodeId)}`}>
      <div className="row" style={{ marginBottom: 10 }}>
        <input className="grow inspector-label" aria-label="Node label" value={node.data.label ?? ''} placeholder={entry?.title ?? node.data.type} disabled={readOnly}
          onChange={(e) => update(nodeId, { label: e.target.value || undefined }, 'label')} maxLength={200} />
        {!readOnly && <button type="button" className="small ghost danger" onClick={deleteSelected} aria-label="Delete this node">Delete</button>}
      </div>
      <div className="muted" style={{ fontSize: 12, marginBottom: 8 }}>
        {entry?.title ?? `Unknown node type ${node.data.type}`} · id <code>{node.id}</code>{entry?.description ? ` — ${entry.description}` : ''}
      </div>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={panel === 'settings'} onClick={() => setPanel('settings')}>Settings</button>
        <button type="button" role="tab" aria-selected={panel === 'data'} onClick={() => setPanel('data')}>Run data{step ? ` (${step.status})` : ''}</button>
      </div>
      {panel === 'settings' ? (
        <div role="tabpanel" aria-label="Settings">
          {otherProblems.length > 0 && (
            <div className="banner error" role="alert"><ul className="problems">{otherProblems.map((p, i) => <li key={i}>{p.message}</li>)}</ul></div>
          )}
          {entry && (
            <SchemaForm key={nodeId} schema={entry.propsSchema} value={node.data.props} onChange={onChange} errors={errors} expression={sample} readOnly={readOnly} idPrefix={`n-${nodeId}`} />
          )}
          {entry && <CredentialSlots node={node} entry={entry} credentials={creds.credentials} kinds={creds.kinds} onCreated={creds.refresh} />}
          {entry?.trigger === 'channel' && testListen && !readOnly && <ChannelTestListen key={nodeId} nodeId={nodeId} {...testListen} />}
          <CommonSettings node={node} />
          <label className="row" style={{ marginTop: 10 }}>
            <input type="checkbox" checked={node.data.disabled === true} disabled={readOnly} onChange={(e) => update(nodeId, { disabled: e.target.checked || undefined })} />
            Skip this step (disabled)
          </label>
        </div>
      ) : (
        <div role="tabpanel" aria-label="Run data">
          {pin && <PinnedPanel output={pin} supported={pinSupport} onUnpin={readOnly ? undefined : () => unpin(nodeId)} />}
          {step ? <StepData step={step} onRerunFrom={readOnly ? undefined : onRerunFrom} pinned={pin !== undefined}
            onPin={readOnly || !step.output ? undefined : () => { if (step.output) pinOutput(nodeId, step.output); }} />
            : !pin && <p className="muted">No data yet. Click <strong>Test run</strong> to run the flow; then each step’s input and output show here.</p>}
        </div>
      )}
    </aside>
  );
}
