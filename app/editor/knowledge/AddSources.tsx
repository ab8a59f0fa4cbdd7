import { useRef, useState } from 'react';
import { api, plainMessage } from '~/editor/api';
import { ErrorBanner } from '~/editor/ui/bits';
import { uploadFile } from './upload';

type Tab = 'file' | 'url' | 'text' | 'faq';

/** Adds sources to one knowledge base: upload a file, a web page by URL, pasted text, question/answer pairs. */
export function AddSources({ knowledgeBaseId, onAdded }: { knowledgeBaseId: string; onAdded(): void }) {
  const [tab, setTab] = useState<Tab>('file');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [url, setUrl] = useState('');
  const [text, setText] = useState('');
  const [textName, setTextName] = useState('');
  const [faq, setFaq] = useState([{ question: '', answer: '' }]);
  const fileInput = useRef<HTMLInputElement>(null);
  const path = `/knowledge-bases/${encodeURIComponent(knowledgeBaseId)}/sources`;

  async function add(action: () => Promise<unknown>, reset: () => void) {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      reset();
      onAdded();
    } catch (e) {
      setError(plainMessage(e));
    } finally {
      setBusy(false);
    }
  }

  async function uploadAll(files: FileList) {
    await add(async () => { for (const file of Array.from(files)) await uploadFile(path, file); }, () => undefined);
  }

  return (
    <section className="knowledge-add" aria-label="Add sources">
      <div className="tabs" role="tablist">
        {(['file', 'url', 'text', 'faq'] as const).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} className="small" onClick={() => setTab(t)}>
            {{ file: 'Upload files', url: 'Web page', text: 'Paste text', faq: 'Questions & answers' }[t]}
          </button>
        ))}
      </div>
      <ErrorBanner message={error} />
      {tab === 'file' && (
        <p>
          <button type="button" className="primary" disabled={busy} onClick={() => fileInput.current?.click()}>Choose files…</button>{' '}
          <span className="muted">PDF, DOCX, TXT, Markdown, HTML or CSV, up to 20 MB each.</span>
          <input ref={fileInput} type="file" multiple hidden aria-label="Document files" accept=".pdf,.docx,.txt,.md,.markdown,.html,.htm,.csv"
            onChange={(e) => { const files = e.target.files; if (files?.length) void uploadAll(files).then(() => { e.target.value = ''; }); }} />
        </p>
      )}
      {tab === 'url' && (
        <form onSubmit={(e) => { e.preventDefault(); void add(() => api(path, { method: 'POST', body: { url } }), () => setUrl('')); }}>
          <label>Page URL <input type="url" required value={url} placeholder="https://example.com/help" onChange={(e) => setUrl(e.target.value)} /></label>
          <button type="submit" className="primary" disabled={busy}>Add page</button>
        </form>
      )}
      {tab === 'text' && (
        <form onSubmit={(e) => { e.preventDefault(); void add(() => api(path, { method: 'POST', body: { text, ...(textName ? { name: textName } : {}) } }), () => { setText(''); setTextName(''); }); }}>
          <label>Name <input value={textName} placeholder="Pasted text" onChange={(e) => setTextName(e.target.value)} /></label>
          <label>Text (Markdown headings are kept) <textarea required rows={6} value={text} onChange={(e) => setText(e.target.value)} /></label>
          <button type="submit" className="primary" disabled={busy}>Add text</button>
        </form>
      )}
      {tab === 'faq' && (
        <form onSubmit={(e) => { e.preventDefault(); void add(() => api(path, { method: 'POST', body: { faq } }), () => setFaq([{ question: '', answer: '' }])); }}>
          {faq.map((pair, i) => (
            <div key={i} className="faq-pair">
              <label>Question {i + 1} <input required value={pair.question} onChange={(e) => setFaq(faq.map((p, j) => (j === i ? { ...p, question: e.target.value } : p)))} /></label>
              <label>Answer {i + 1} <textarea required rows={2} value={pair.answer} onChange={(e) => setFaq(faq.map((p, j) => (j === i ? { ...p, answer: e.target.value } : p)))} /></label>
            </div>
          ))}
          <button type="button" className="ghost small" onClick={() => setFaq([...faq, { question: '', answer: '' }])}>Add another pair</button>{' '}
          <button type="submit" className="primary" disabled={busy}>Add questions</button>
        </form>
      )}
    </section>
  );
}
