import { useEffect, useState } from 'react';
import type { FlowVersionSummary } from '../../runtime/services/types.js';
import { api, plainMessage, timeAgo } from './api';

/** Saved versions of the flow, newest first; one can be opened read-only. */
export function VersionsPanel({ flowId, current, viewing, onView, onClose }: {
  flowId: string; current: number; viewing?: number; onView(version: number): void; onClose(): void;
}) {
  const [versions, setVersions] = useState<FlowVersionSummary[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    api<FlowVersionSummary[]>(`/flows/${flowId}/versions`).then(setVersions, (e) => setError(plainMessage(e)));
  }, [flowId, current]);
  return (
    <aside className="side" aria-label="Version history">
      <div className="row" style={{ marginBottom: 8 }}>
        <h2 className="grow" style={{ margin: 0 }}>Version history</h2>
        <button type="button" className="small ghost" onClick={onClose} aria-label="Close version history">✕</button>
      </div>
      <p className="muted">Every save keeps a version. Open one to look at it; restore it to make it the latest again.</p>
      {error && <div className="banner error">{error}</div>}
      {!versions ? <p className="muted">Loading…</p> : (
        <ol className="versions" reversed>
          {versions.map((v) => (
            <li key={v.version} className={v.version === viewing ? 'current' : ''}>
              <button type="button" className="version-item" onClick={() => onView(v.version)} aria-current={v.version === viewing ? 'true' : undefined}>
                <strong>Version {v.version}</strong>{v.version === current && <span className="badge on">latest</span>}
                <span className="muted">{v.name} · {timeAgo(v.createdAt)}</span>
              </button>
            </li>
          ))}
        </ol>
      )}
    </aside>
  );
}
