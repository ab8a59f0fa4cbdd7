import { useState } from 'react';

/**
 * Step data as a collapsible tree: every value is rendered as React text, so whatever a webhook
 * caller sent shows as characters, never as markup.
 */
export function JsonTree({ value, name, depth = 0 }: { value: unknown; name?: string; depth?: number }) {
  const key = name !== undefined ? <span className="k">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    const cls = typeof value === 'string' ? 's' : typeof value === 'number' ? 'n' : 'b';
    const text = typeof value === 'string' ? JSON.stringify(value) : String(value);
    return <div>{key}<span className={cls}>{text}</span></div>;
  }
  const entries: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  return (
    <details open={depth < 2}>
      <summary>{key}<span className="muted">{summary}</span></summary>
      <ul>{entries.map(([k, v]) => <li key={k}><JsonTree value={v} name={k} depth={depth + 1} /></li>)}</ul>
    </details>
  );
}

/** Tree and raw JSON views of one value, switched by tabs. */
export function DataView({ value, label }: { value: unknown; label: string }) {
  const [raw, setRaw] = useState(false);
  return (
    <section aria-label={label}>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={!raw} onClick={() => setRaw(false)}>Tree</button>
        <button type="button" role="tab" aria-selected={raw} onClick={() => setRaw(true)}>Raw JSON</button>
      </div>
      {value === undefined ? <p className="muted">No data.</p>
        : raw ? <pre className="raw">{JSON.stringify(value, null, 2)}</pre>
          : <div className="tree"><JsonTree value={value} /></div>}
    </section>
  );
}
