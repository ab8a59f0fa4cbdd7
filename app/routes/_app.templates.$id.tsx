import { useEffect, useState } from 'react';
import type { LinksFunction, MetaFunction } from '@remix-run/node';
import { Link, useParams, useSearchParams } from '@remix-run/react';
import flowStyles from '@xyflow/react/dist/style.css?url';
import type { NodeCatalogEntry } from '../../runtime/services/types.js';
import { plainMessage } from '~/editor/api';
import { getTemplate, nodeCatalog, type TemplateDetail } from '~/editor/templates/api';
import { SetupWizard } from '~/editor/templates/SetupWizard';
import { TemplatePreview } from '~/editor/templates/TemplatePreview';
import { ErrorBanner } from '~/editor/ui/bits';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: flowStyles }];
export const meta: MetaFunction = () => [{ title: 'Template · Switchyard' }];

/** One template: the read-only canvas, what it needs, and the setup wizard (`?setup=1`). */
export default function TemplatePage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const [template, setTemplate] = useState<TemplateDetail>();
  const [catalog, setCatalog] = useState<NodeCatalogEntry[]>();
  const [error, setError] = useState<string>();
  const setup = params.get('setup') === '1';

  useEffect(() => {
    Promise.all([getTemplate(id), nodeCatalog()]).then(([t, c]) => { setTemplate(t); setCatalog(c); }, (e: unknown) => setError(plainMessage(e)));
  }, [id]);

  if (error) return <div className="page-inner"><ErrorBanner message={`Could not open this template: ${error}`} /><Link to="/templates">All templates</Link></div>;
  if (!template || !catalog) return <div className="page-inner"><p className="muted">Loading template…</p></div>;
  const slots = Object.entries(template.credentials);
  return (
    <div className="page-inner">
      <div className="page-head">
        <Link to="/templates" className="btn ghost small" aria-label="Back to templates">←</Link>
        <h1>{template.title}</h1>
        <span className="badge">{template.category}</span>
        {!setup && <button type="button" className="primary" onClick={() => setParams({ setup: '1' })}>Use this template</button>}
      </div>
      <p>{template.description}</p>
      {setup && <div style={{ marginBottom: 16 }}><SetupWizard template={template} onCancel={() => setParams({})} /></div>}
      <TemplatePreview flow={template.flow} catalog={catalog} />
      <h2>What it needs</h2>
      {slots.length === 0 ? <p className="muted">No credentials: it runs as it is.</p> : (
        <ul aria-label="Credentials it needs">
          {slots.map(([slot, info]) => <li key={slot}><strong>{info.kindTitle}</strong> — {info.help}</li>)}
        </ul>
      )}
      {template.plugins.length > 0 && <p>Plugins: {template.plugins.join(', ')}</p>}
      {template.upgraded.length > 0 && (
        <p className="muted">Written for older node versions; upgraded on the way in: {template.upgraded.map((u) => `${u.nodeId} (${u.type} ${u.from} → ${u.to})`).join(', ')}.</p>
      )}
      <p className="muted">{template.nodeCount} steps · {template.tags.join(', ')}</p>
    </div>
  );
}
