import { Link } from '@remix-run/react';
import { useReactFlow } from '@xyflow/react';
import { useEditor } from './store/context';
import { StatusBadge, Toggle } from './ui/bits';

export interface BarActions {
  save(): void;
  run(): void;
  toggleActive(next: boolean): void;
  versions(): void;
  help(): void;
  exportFlow(): void;
  /** Export as template (file or team template). Default: not offered. */
  exportTemplate?(): void;
  /** Opens the chat simulator; offered when the flow starts with a channel trigger. Default: not offered. */
  chat?(): void;
}

/** The editor's top bar: name, save state, undo/redo, layout, test run, activation, history. */
export function EditorBar({ flowId, active, saving, actions }: { flowId?: string; active: boolean; saving: boolean; actions: BarActions }) {
  const name = useEditor((s) => s.name);
  const setName = useEditor((s) => s.setName);
  const dirty = useEditor((s) => s.dirty);
  const readOnly = useEditor((s) => s.readOnly);
  const canUndo = useEditor((s) => s.past.length > 0);
  const canRedo = useEditor((s) => s.future.length > 0);
  const undo = useEditor((s) => s.undo);
  const redo = useEditor((s) => s.redo);
  const tidyUp = useEditor((s) => s.tidyUp);
  const run = useEditor((s) => s.run);
  const flow = useReactFlow();
  return (
    <div className="editor-bar" role="toolbar" aria-label="Flow editor">
      <Link to="/flows" className="btn ghost small" aria-label="Back to flows">←</Link>
      <input className="flow-name" aria-label="Flow name" value={name} disabled={readOnly} onChange={(e) => setName(e.target.value)} maxLength={200} />
      <span className="muted save-state" aria-live="polite">{saving ? 'Saving…' : dirty ? 'Unsaved changes' : flowId ? 'All changes saved' : 'Not saved yet'}</span>
      <span className="grow" />
      <button type="button" className="small" onClick={undo} disabled={!canUndo || readOnly} aria-label="Undo" title="Undo (Ctrl+Z)">↶</button>
      <button type="button" className="small" onClick={redo} disabled={!canRedo || readOnly} aria-label="Redo" title="Redo (Ctrl+Y)">↷</button>
      <button type="button" className="small" onClick={tidyUp} disabled={readOnly} title="Arrange the nodes left to right (Shift+L)">Tidy up</button>
      <button type="button" className="small" onClick={() => void flow.fitView({ duration: 200 })} title="Zoom to fit (Shift+1)">Fit</button>
      <button type="button" className="small" onClick={actions.help} aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)">?</button>
      <span className="sep" />
      {flowId && <button type="button" className="small" onClick={actions.versions}>History</button>}
      {flowId && <button type="button" className="small" onClick={actions.exportFlow}>Export</button>}
      {flowId && actions.exportTemplate && <button type="button" className="small" onClick={actions.exportTemplate}>Export as template</button>}
      {run && <StatusBadge status={run.status} />}
      {actions.chat && <button type="button" className="small" onClick={actions.chat} title="Chat with this flow as a contact of its channel (nothing is sent to the provider)">Chat</button>}
      <button type="button" className="small" onClick={actions.run} disabled={readOnly} title="Save and run the flow once with test input">▶ Test run</button>
      {flowId && (
        <label className="row" style={{ gap: 6 }}>
          <Toggle label="Active" checked={active} onChange={actions.toggleActive} disabled={readOnly} />
          <span>{active ? 'Active' : 'Inactive'}</span>
        </label>
      )}
      <button type="button" className="primary small" onClick={actions.save} disabled={readOnly || saving || (!dirty && !!flowId)}>Save</button>
    </div>
  );
}
