import { useState } from 'react';
import type { KnowledgeSearchResult } from '../../../runtime/index.js';
import { api, plainMessage } from '~/editor/api';
import { ErrorBanner } from '~/editor/ui/bits';

/** Asks a question and shows the ranked chunks with their sources: what a bot answering from this base will find. */
export function SearchPanel({ knowledgeBaseId }: { knowledgeBaseId: string }) {
  const [query, setQuery] = useState('');
  const [result, setResult] = useState<KnowledgeSearchResult>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function search() {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await api<KnowledgeSearchResult>(`/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}/search?q=${encodeURIComponent(query)}&k=5`));
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-label="Search">
      <h2>Try a question</h2>
      <form className="knowledge-search" style={{ display: 'flex', gap: 8 }} onSubmit={(e) => { e.preventDefault(); void search(); }}>
        <input type="search" style={{ flex: 1 }} aria-label="Question" placeholder="What would a customer ask?" value={query} required onChange={(e) => setQuery(e.target.value)} />
        <button type="submit" className="primary" disabled={busy || !query.trim()}>Search</button>
      </form>
      <ErrorBanner message={error} />
      {result && (result.hits.length === 0 ? <p className="muted">Nothing found.</p> : (
        <ol className="knowledge-hits" aria-label="Search results">
          {result.hits.map((hit) => (
            <li key={hit.chunkId}>
              <div className="muted">
                <strong>{hit.citation.sourceName}</strong>
                {hit.citation.headings.length > 0 && <> · {hit.citation.headings.join(' › ')}</>}
                {' '}· chunk {hit.citation.position + 1} · similarity {hit.similarity.toFixed(2)} · score {hit.score.toFixed(4)}
              </div>
              <p className="knowledge-hit-text" style={{ whiteSpace: 'pre-wrap', margin: '4px 0 12px' }}>{hit.text}</p>
            </li>
          ))}
        </ol>
      ))}
      {result && <p className="muted small">{result.mode} search in {result.tookMs} ms ({result.vectorSearch === 'hnsw' ? 'pgvector HNSW index' : 'exact vector search'}).</p>}
    </section>
  );
}
