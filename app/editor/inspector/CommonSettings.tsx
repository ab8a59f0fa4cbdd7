import { useEditor } from '../store/context';
import type { EditorNode } from '../store/types';

type Settings = NonNullable<EditorNode['data']['settings']>;

/** Retry, timeout and on-error: the settings every node has (DESIGN §3), not part of its props schema. */
export function CommonSettings({ node }: { node: EditorNode }) {
  const update = useEditor((s) => s.updateNode);
  const readOnly = useEditor((s) => s.readOnly);
  const settings: Settings = node.data.settings ?? {};
  const set = (patch: Partial<Settings>, key: string) => {
    const next: Settings = { ...settings, ...patch };
    for (const k of Object.keys(next) as (keyof Settings)[]) if (next[k] === undefined) delete next[k];
    update(node.id, { settings: Object.keys(next).length ? next : undefined }, key);
  };
  const attempts = settings.retry?.attempts ?? 1;
  const p = `set-${node.id}`;
  return (
    <details className="inspector-section">
      <summary><h3 style={{ display: 'inline' }}>When something goes wrong</h3></summary>
      <label className="field" htmlFor={`${p}-onerror`}>
        <span className="field-label">If this step fails</span>
        <select id={`${p}-onerror`} disabled={readOnly} value={settings.onError ?? 'stop'} onChange={(e) => set({ onError: e.target.value === 'stop' ? undefined : (e.target.value as Settings['onError']) }, 'onError')}>
          <option value="stop">Stop the flow</option>
          <option value="continue">Continue with the error as the message</option>
          <option value="route">Send it to an “error” output</option>
        </select>
      </label>
      <label className="field" htmlFor={`${p}-attempts`}>
        <span className="field-label">Tries</span>
        <input id={`${p}-attempts`} type="number" min={1} max={20} disabled={readOnly} value={attempts}
          onChange={(e) => {
            const n = Math.min(20, Math.max(1, Number(e.target.value) || 1));
            set({ retry: n === 1 ? undefined : { ...settings.retry, attempts: n } }, 'attempts');
          }} />
        <span className="field-help">1 means no retry. Retries wait longer each time (exponential back-off).</span>
      </label>
      {attempts > 1 && (
        <label className="field" htmlFor={`${p}-delay`}>
          <span className="field-label">First retry after (ms)</span>
          <input id={`${p}-delay`} type="number" min={0} disabled={readOnly} value={settings.retry?.delayMs ?? 1000}
            onChange={(e) => set({ retry: { ...settings.retry, attempts, delayMs: Math.max(0, Number(e.target.value) || 0) } }, 'delay')} />
        </label>
      )}
      <label className="field" htmlFor={`${p}-timeout`}>
        <span className="field-label">Timeout (ms)</span>
        <input id={`${p}-timeout`} type="number" min={1} max={3600000} placeholder="30000" disabled={readOnly} value={settings.timeoutMs ?? ''}
          onChange={(e) => set({ timeoutMs: e.target.value === '' ? undefined : Math.max(1, Number(e.target.value)) }, 'timeout')} />
      </label>
    </details>
  );
}
