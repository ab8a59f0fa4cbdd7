import { useCallback, useEffect, useState } from 'react';
import type { MetaFunction } from '@remix-run/node';
import type { KnowledgeBaseRecord, KnowledgeSourceRecord, VectorSearchStatus } from '../../runtime/index.js';
import { api, plainMessage, timeAgo } from '~/editor/api';
import { AddSources } from '~/editor/knowledge/AddSources';
import { IndexSettings } from '~/editor/knowledge/IndexSettings';
import { SearchPanel } from '~/editor/knowledge/SearchPanel';
import { EmptyState, ErrorBanner } from '~/editor/ui/bits';
import { ConfirmDialog } from '~/editor/ui/Modal';

export const meta: MetaFunction = () => [{ title: 'Knowledge · Switchyard' }];

/** How often the page looks at sources while any is being ingested. */
const POLL_MS = 1000;

const statusLabel: Record<KnowledgeSourceRecord['status'], string> = { queued: 'Queued', processing: 'Indexing', ready: 'Ready', failed: 'Failed' };

/**
 * Knowledge bases: create one, add documents, pages, text and FAQs, watch them index, and ask a
 * question to see which chunks (and sources) a bot answering from it will find.
 */
export default function Knowledge() {
  const [bases, setBases] = useState<KnowledgeBaseRecord[]>();
  const [selected, setSelected] = useState<string>();
  const [sources, setSources] = useState<KnowledgeSourceRecord[]>();
  const [vector, setVector] = useState<VectorSearchStatus>();
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [deleting, setDeleting] = useState<{ kind: 'base' | 'source'; id: string; name: string }>();

  const loadBases = useCallback(async () => {
    try {
      const list = await api<KnowledgeBaseRecord[]>('/knowledge-bases');
      setBases(list);
      setSelected((current) => (current && list.some((b) => b.id === current) ? current : list[0]?.id));
    } catch (e) {
      setError(plainMessage(e));
    }
  }, []);
  const loadSources = useCallback(async (id: string) => {
    try {
      setSources(await api<KnowledgeSourceRecord[]>(`/knowledge-bases/${encodeURIComponent(id)}/sources`));
    } catch (e) {
      setError(plainMessage(e));
    }
  }, []);

  useEffect(() => {
    void loadBases();
    api<VectorSearchStatus>('/knowledge-bases/vector-search').then(setVector, () => undefined);
  }, [loadBases]);
  useEffect(() => {
    setSources(undefined);
    if (selected) void loadSources(selected);
  }, [selected, loadSources]);
  // Progress: poll while anything is queued or indexing.
  const busy = sources?.some((s) => s.status === 'queued' || s.status === 'processing') ?? false;
  useEffect(() => {
    if (!busy || !selected) return;
    const timer = setInterval(() => void loadSources(selected), POLL_MS);
    return () => clearInterval(timer);
  }, [busy, selected, loadSources]);

  async function create() {
    setError(undefined);
    try {
      const created = await api<KnowledgeBaseRecord>('/knowledge-bases', { method: 'POST', body: { name } });
      setName('');
      await loadBases();
      setSelected(created.id);
    } catch (e) {
      setError(`Could not create “${name}”: ${plainMessage(e)}`);
    }
  }

  async function remove() {
    const target = deleting;
    setDeleting(undefined);
    if (!target || !selected) return;
    try {
      if (target.kind === 'base') await api(`/knowledge-bases/${encodeURIComponent(target.id)}`, { method: 'DELETE' });
      else await api(`/knowledge-bases/${encodeURIComponent(selected)}/sources/${encodeURIComponent(target.id)}`, { method: 'DELETE' });
      await loadBases();
      if (target.kind === 'source') await loadSources(selected);
    } catch (e) {
      setError(`Could not delete “${target.name}”: ${plainMessage(e)}`);
    }
  }

  const base = bases?.find((b) => b.id === selected);
  return (
    <div className="page-inner">
      <div className="page-head">
        <h1>Knowledge</h1>
        <form className="inline-form" style={{ display: 'flex', gap: 8 }} onSubmit={(e) => { e.preventDefault(); void create(); }}>
          <input aria-label="New knowledge base name" placeholder="New knowledge base" value={name} required onChange={(e) => setName(e.target.value)} />
          <button type="submit" className="primary" disabled={!name.trim()}>Create</button>
        </form>
      </div>
      <p className="muted">Documents your AI steps answer from. They are split into chunks and searched by meaning and by words together; the local embedding model needs no API key.</p>
      {vector?.kind === 'exact' && <div className="banner" role="status" data-testid="exact-search">{vector.message}</div>}
      <ErrorBanner message={error} />
      {bases === undefined ? <p className="muted">Loading…</p> : bases.length === 0 ? (
        <EmptyState title="No knowledge bases yet"><p>Name one above, then add your FAQ, policies or help pages.</p></EmptyState>
      ) : (
        <div className="knowledge-layout" style={{ display: 'grid', gridTemplateColumns: 'minmax(160px, 220px) 1fr', gap: 16, alignItems: 'start' }}>
          <nav aria-label="Knowledge bases" className="knowledge-bases" style={{ display: 'flex', flexDirection: 'column', gap: 4 }}>
            {bases.map((b) => (
              <button key={b.id} type="button" className={`small ${b.id === selected ? 'primary' : 'ghost'}`} aria-current={b.id === selected} onClick={() => setSelected(b.id)}>
                {b.name} <span className="muted">({b.chunkCount} chunks)</span>
              </button>
            ))}
          </nav>
          {base && (
            <div className="knowledge-detail">
              <div className="page-head">
                <h2>{base.name}</h2>
                <span className="muted">Chunks of {base.chunkSize} characters, {base.chunkOverlap} overlap · {base.embedding.model}{base.embedding.dimension ? ` (${base.embedding.dimension}-d)` : ''}</span>
                <button type="button" className="small ghost danger" onClick={() => setDeleting({ kind: 'base', id: base.id, name: base.name })}>Delete knowledge base</button>
              </div>
              <IndexSettings base={base} onSaved={() => { void loadBases(); void loadSources(base.id); }} />
              <AddSources knowledgeBaseId={base.id} onAdded={() => { void loadSources(base.id); void loadBases(); }} />
              {sources && sources.length > 0 && (
                <table className="list" aria-label="Sources">
                  <thead><tr><th>Source</th><th>Status</th><th>Chunks</th><th>Added</th><th><span className="visually-hidden">Actions</span></th></tr></thead>
                  <tbody>
                    {sources.map((s) => (
                      <tr key={s.id} data-source={s.name} data-status={s.status}>
                        <td><strong>{s.name}</strong> <span className="muted">{s.kind === 'file' ? s.format.toUpperCase() : s.kind}</span></td>
                        <td>
                          {statusLabel[s.status]}
                          {s.status === 'processing' && <> <progress max={1} value={s.progress} aria-label={`Progress of ${s.name}`} /> {Math.round(s.progress * 100)}%</>}
                          {s.error && <div className="muted" role="note">{s.error}</div>}
                        </td>
                        <td>{s.chunkCount}</td>
                        <td className="muted">{timeAgo(s.createdAt)}</td>
                        <td className="actions"><button type="button" className="small ghost danger" onClick={() => setDeleting({ kind: 'source', id: s.id, name: s.name })}>Delete</button></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              <SearchPanel knowledgeBaseId={base.id} />
            </div>
          )}
        </div>
      )}
      {deleting && (
        <ConfirmDialog title={`Delete “${deleting.name}”?`} confirmLabel="Delete"
          message={deleting.kind === 'base' ? 'Its sources and chunks are deleted; flows searching it will fail until they point at another.' : 'Its chunks are deleted from the knowledge base.'}
          onCancel={() => setDeleting(undefined)} onConfirm={() => void remove()} />
      )}
    </div>
  );
}
