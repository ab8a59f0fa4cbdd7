import { useMemo, useState } from 'react';
import type { NodeCatalogEntry } from '../../../runtime/services/types.js';
import { useEditor } from '../store/context';
import { nodeTitle } from '../store/graph';
import { iconFor } from './icons';

/** Drag payload type: the node's `type@version`. */
export const DRAG_TYPE = 'application/x-switchyard-node';

/**
 * Node types grouped by category, searchable by title, description and type. Each item can be
 * dragged onto the canvas, or clicked / activated with Enter to add it (connected after the
 * selected port when a "+" was used).
 */
export function Palette({ onAdd }: { onAdd(entry: NodeCatalogEntry): void }) {
  const catalog = useEditor((s) => s.catalog);
  const readOnly = useEditor((s) => s.readOnly);
  const addFrom = useEditor((s) => s.addFrom);
  const setAddFrom = useEditor((s) => s.setAddFrom);
  const fromTitle = useEditor((s) => (s.addFrom ? nodeTitle(s.nodes.find((n) => n.id === s.addFrom?.nodeId), s.catalog) : undefined));
  const [query, setQuery] = useState('');

  const groups = useMemo(() => {
    const q = query.trim().toLowerCase();
    const byCategory = new Map<string, NodeCatalogEntry[]>();
    for (const entry of Object.values(catalog)) {
      if (addFrom && entry.ports.in.length === 0) continue; // a trigger cannot follow anything
      if (q && !`${entry.title} ${entry.description} ${entry.type} ${entry.category}`.toLowerCase().includes(q)) continue;
      byCategory.set(entry.category, [...(byCategory.get(entry.category) ?? []), entry]);
    }
    return [...byCategory.entries()];
  }, [catalog, query, addFrom]);

  if (readOnly) return null;
  return (
    <aside className="palette" aria-label="Node palette">
      <div className="palette-search">
        <input type="search" placeholder="Search nodes…" aria-label="Search nodes" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {addFrom && (
        <div className="palette-hint" role="status">
          Pick the node that comes after <strong>{fromTitle}</strong> ({addFrom.handle}).{' '}
          <button type="button" className="small ghost" onClick={() => setAddFrom(undefined)}>Cancel</button>
        </div>
      )}
      <div className="palette-list">
        {groups.length === 0 && <p className="muted" style={{ padding: 8 }}>No node matches “{query}”.</p>}
        {groups.map(([category, entries]) => (
          <section key={category} aria-label={category}>
            <div className="palette-group">{category}</div>
            {entries.map((entry) => (
              <button
                key={`${entry.type}@${entry.version}`}
                type="button"
                className="palette-item"
                draggable
                data-type={entry.type}
                title={`${entry.description} — drag onto the canvas or click to add`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, `${entry.type}@${entry.version}`);
                  e.dataTransfer.effectAllowed = 'move';
                }}
                onClick={() => onAdd(entry)}
              >
                <span className="pi-icon" aria-hidden="true">{iconFor(entry.icon)}</span>
                <span>
                  <span className="pi-title">{entry.title}</span>
                  <span className="pi-desc">{entry.description}</span>
                </span>
              </button>
            ))}
          </section>
        ))}
      </div>
    </aside>
  );
}
