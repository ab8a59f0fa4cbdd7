import { useEffect, useState } from 'react';
import { Link } from '@remix-run/react';
import { plainMessage } from '../api';
import { ErrorBanner } from '../ui/bits';
import { listTemplates, type TemplateSummary } from './api';

/** One card: what the template does and what it needs before it can run. */
export function TemplateCard({ template }: { template: TemplateSummary }) {
  const slots = Object.values(template.credentials);
  return (
    <li className="card pad" data-template-id={template.id} style={{ display: 'flex', flexDirection: 'column', gap: 6, listStyle: 'none' }}>
      <span className="badge" style={{ alignSelf: 'flex-start' }}>{template.category}</span>
      <strong>{template.title}</strong>
      <span className="muted" style={{ fontSize: 13, flex: 1 }}>{template.description}</span>
      <span style={{ fontSize: 12 }}>
        {slots.length === 0 ? 'Needs no credentials' : <>Needs: {[...new Set(slots.map((s) => s.kindTitle))].join(', ')}</>}
        {template.plugins.length > 0 && <> · plugins: {template.plugins.join(', ')}</>}
      </span>
      <span className="row">
        <Link className="btn small" to={`/templates/${template.id}`} aria-label={`Preview ${template.title}`}>Preview</Link>
        <Link className="btn small primary" to={`/templates/${template.id}?setup=1`} aria-label={`Use ${template.title}`}>Use this template</Link>
      </span>
    </li>
  );
}

/**
 * The gallery: search, category filter and cards. `limit` shows the first few (the flows page's
 * "Start from a template"), with a link to the full page.
 */
export function TemplateGallery({ limit, heading = 'Templates' }: { limit?: number; heading?: string }) {
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState('');
  const [result, setResult] = useState<{ templates: TemplateSummary[]; categories: string[] }>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    const controller = new AbortController();
    // Debounced so typing does not fire a request per key.
    const timer = setTimeout(() => {
      listTemplates({ search: search.trim(), category }, controller.signal)
        .then((r) => { setResult(r); setError(undefined); }, (e: unknown) => { if (!controller.signal.aborted) setError(plainMessage(e)); });
    }, search ? 200 : 0);
    return () => { clearTimeout(timer); controller.abort(); };
  }, [search, category]);

  const shown = result ? (limit ? result.templates.slice(0, limit) : result.templates) : undefined;
  return (
    <section aria-label={heading} data-testid="template-gallery">
      <div className="page-head" style={{ marginBottom: 8 }}>
        <h2 style={{ flex: 1, margin: 0 }}>{heading}</h2>
        <input type="search" aria-label="Search templates" placeholder="Search templates…" value={search} onChange={(e) => setSearch(e.target.value)} style={{ maxWidth: 240 }} />
        <select aria-label="Category" value={category} onChange={(e) => setCategory(e.target.value)}>
          <option value="">All categories</option>
          {result?.categories.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
      </div>
      <ErrorBanner message={error} />
      {shown === undefined ? <p className="muted">Loading templates…</p>
        : shown.length === 0 ? <p className="muted">No template matches. Try another word or category.</p>
          : (
            <ul style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(260px, 1fr))', gap: 12, padding: 0, margin: 0 }}>
              {shown.map((t) => <TemplateCard key={t.id} template={t} />)}
            </ul>
          )}
      {limit !== undefined && result && result.templates.length > limit && (
        <p><Link to="/templates">See all {result.templates.length} templates</Link></p>
      )}
    </section>
  );
}
