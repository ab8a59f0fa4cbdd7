import { useEffect, useState } from 'react';
import type { KnowledgeBaseRecord } from '../../../runtime/index.js';
import type { CredentialSummary } from '../../../runtime/services/types.js';
import { api, plainMessage } from '~/editor/api';
import { ErrorBanner } from '~/editor/ui/bits';

/** The credential kind whose providers can embed (decision 032). */
const AI_PROVIDER_KIND = 'ai-provider';
const LOCAL = '';

/**
 * How a knowledge base is indexed: chunk size and overlap, and the embedding model — the local one
 * (no API key) or a provider's through an AI provider credential. Saving a change re-indexes every
 * source (vectors of different models are never mixed), so the form says so before it saves.
 */
export function IndexSettings({ base, onSaved }: { base: KnowledgeBaseRecord; onSaved: () => void }) {
  const [open, setOpen] = useState(false);
  const [chunkSize, setChunkSize] = useState(String(base.chunkSize));
  const [chunkOverlap, setChunkOverlap] = useState(String(base.chunkOverlap));
  const [credentialId, setCredentialId] = useState(base.embedding.credentialId ?? LOCAL);
  const [model, setModel] = useState(base.embedding.credentialId ? base.embedding.model.replace(/^provider:/, '') : '');
  const [providers, setProviders] = useState<CredentialSummary[]>([]);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setChunkSize(String(base.chunkSize));
    setChunkOverlap(String(base.chunkOverlap));
    setCredentialId(base.embedding.credentialId ?? LOCAL);
    setModel(base.embedding.credentialId ? base.embedding.model.replace(/^provider:/, '') : '');
  }, [base]);
  useEffect(() => {
    if (!open) return;
    api<CredentialSummary[]>('/credentials').then((all) => setProviders(all.filter((c) => c.kind === AI_PROVIDER_KIND)), () => undefined);
  }, [open]);

  async function save() {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/knowledge-bases/${encodeURIComponent(base.id)}`, { method: 'PATCH', body: {
        chunkSize: Number(chunkSize), chunkOverlap: Number(chunkOverlap),
        embedding: credentialId === LOCAL ? null : { credentialId, model: model.trim() },
      } });
      setOpen(false);
      onSaved();
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setBusy(false);
    }
  }

  if (!open) return <button type="button" className="small ghost" onClick={() => setOpen(true)}>Indexing settings</button>;
  return (
    <form aria-label="Indexing settings" className="card pad" style={{ display: 'grid', gap: 8, maxWidth: 520 }}
      onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label>Chunk size (characters)
        <input type="number" min={100} max={8000} required value={chunkSize} onChange={(e) => setChunkSize(e.target.value)} />
      </label>
      <label>Overlap between chunks (characters)
        <input type="number" min={0} max={4000} required value={chunkOverlap} onChange={(e) => setChunkOverlap(e.target.value)} />
      </label>
      <label>Embedding model
        <select value={credentialId} onChange={(e) => setCredentialId(e.target.value)}>
          <option value={LOCAL}>Local (Universal Sentence Encoder, no API key)</option>
          {providers.map((p) => <option key={p.id} value={p.id}>{p.name}</option>)}
        </select>
      </label>
      {credentialId !== LOCAL && (
        <label>Provider's embedding model
          <input required placeholder="text-embedding-3-small" value={model} onChange={(e) => setModel(e.target.value)} />
        </label>
      )}
      <p className="muted">Saving a change re-indexes every source of this knowledge base; searches find fewer chunks until it finishes.</p>
      <ErrorBanner message={error} />
      <div style={{ display: 'flex', gap: 8 }}>
        <button type="submit" className="primary" disabled={busy}>Save and re-index</button>
        <button type="button" className="ghost" onClick={() => setOpen(false)}>Cancel</button>
      </div>
    </form>
  );
}
