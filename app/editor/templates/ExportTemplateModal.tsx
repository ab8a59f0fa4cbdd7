import { useState, type FormEvent } from 'react';
import { api, plainMessage } from '../api';
import { useEditor } from '../store/context';
import { ErrorBanner } from '../ui/bits';
import { Modal } from '../ui/Modal';
import { downloadTemplateFile, type TemplateFile, type TemplateSummary } from './api';

/**
 * "Export as template": asks for the metadata (title, description, category, tags, a line of setup
 * help per credential slot), then downloads `{ template, flow }` — credentials as slots, no ids, no
 * pins — or saves it for the team. The server builds the file from the saved flow.
 */
export function ExportTemplateModal({ flowId, onClose }: { flowId: string; onClose(): void }) {
  const name = useEditor((s) => s.name);
  const description = useEditor((s) => s.description);
  const slots = useEditor((s) => s.credentials);
  const dirty = useEditor((s) => s.dirty);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<TemplateSummary>();

  async function build(form: HTMLFormElement): Promise<TemplateFile> {
    const data = new FormData(form);
    const text = (key: string) => String(data.get(key) ?? '').trim();
    const help: Record<string, string> = {};
    for (const slot of Object.keys(slots)) if (text(`help:${slot}`)) help[slot] = text(`help:${slot}`);
    return api<TemplateFile>('/templates/export', {
      method: 'POST',
      body: { flowId, title: text('title'), description: text('description'), category: text('category') || 'Other', tags: text('tags').split(',').map((t) => t.trim()).filter(Boolean), help },
    });
  }

  async function act(event: FormEvent<HTMLFormElement>, target: 'download' | 'team') {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const file = await build(event.currentTarget);
      if (target === 'download') {
        downloadTemplateFile(file);
        onClose();
      } else {
        setSaved(await api<TemplateSummary>('/templates', { method: 'POST', body: file }));
      }
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setBusy(false);
    }
  }

  const submit = (event: FormEvent<HTMLFormElement>) => {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    void act(event, submitter?.getAttribute('value') === 'team' ? 'team' : 'download');
  };

  return (
    <Modal title="Export as template" onClose={onClose} busy={busy} wide>
      {saved ? (
        <>
          <p className="banner ok" role="status">Saved “{saved.title}” for your team. It is in Templates under “Team”.</p>
          <div className="modal-actions"><button type="button" className="primary" onClick={onClose}>Close</button></div>
        </>
      ) : (
        <form onSubmit={submit}>
          <ErrorBanner message={error} />
          {dirty && <p className="banner info">The template is made from the last saved version; save first to include your latest changes.</p>}
          <p className="muted">Credentials become slots that whoever uses the template fills with their own; no secret, credential id or pinned data leaves with it.</p>
          <label className="field"><span className="field-label">Title</span><input name="title" defaultValue={name} required maxLength={120} /></label>
          <label className="field"><span className="field-label">Description</span><textarea name="description" defaultValue={description ?? ''} required maxLength={1000} rows={3} /></label>
          <div className="row">
            <label className="field" style={{ flex: 1 }}><span className="field-label">Category</span><input name="category" defaultValue="Other" maxLength={60} /></label>
            <label className="field" style={{ flex: 2 }}><span className="field-label">Tags (comma separated)</span><input name="tags" maxLength={400} /></label>
          </div>
          {Object.entries(slots).map(([slot, ref]) => (
            <label key={slot} className="field"><span className="field-label">Setup help for “{slot}” ({ref.kind})</span>
              <input name={`help:${slot}`} maxLength={300} placeholder={`Where to get a ${ref.kind} credential`} />
            </label>
          ))}
          <div className="modal-actions">
            <button type="button" onClick={onClose}>Cancel</button>
            <button type="submit" name="target" value="team" disabled={busy}>Save for my team</button>
            <button type="submit" name="target" value="download" className="primary" disabled={busy}>Download</button>
          </div>
        </form>
      )}
    </Modal>
  );
}
