import { useRef, useState } from 'react';
import { useFormEnv } from './context';
import { EXECUTION_ENTRIES, pickerEntries, previewTemplate } from './expressions';

/**
 * An expression (`{{ … }}` template) with a picker of fields from the last test run and a live
 * preview of the value. Inserting puts `{{ path }}` at the cursor.
 */
export function ExpressionInput({ id, value, onChange, invalid, label }: { id: string; value: string; onChange(next: string | undefined): void; invalid: boolean; label: string }) {
  const { expression, readOnly } = useFormEnv();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);
  const preview = previewTemplate(value, expression);
  const groups = pickerEntries(expression);

  function insert(path: string) {
    const el = ref.current;
    const token = `{{ ${path} }}`;
    const start = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? value.length;
    onChange(value.slice(0, start) + token + value.slice(end));
    setOpen(false);
    requestAnimationFrame(() => { el?.focus(); el?.setSelectionRange(start + token.length, start + token.length); });
  }

  return (
    <div className="expr">
      <div className="row" style={{ alignItems: 'flex-start' }}>
        <textarea ref={ref} id={id} className="mono expr-input grow" rows={Math.min(6, Math.max(1, value.split('\n').length))}
          aria-invalid={invalid} aria-describedby={`${id}-help ${id}-error ${id}-preview`} disabled={readOnly}
          placeholder="{{ $json.field }}" value={value} onChange={(e) => onChange(e.target.value)} />
        {!readOnly && (
          <button type="button" className="small" aria-expanded={open} aria-label={`Insert a field into ${label}`} onClick={() => setOpen(!open)}>Insert field</button>
        )}
      </div>
      {open && (
        <div className="expr-picker" role="listbox" aria-label="Fields from the last run">
          {groups.length === 0 && <p className="muted" style={{ margin: 6 }}>Run the flow once (Test run) to pick from real data. You can always type paths like <code>$json.body.name</code>.</p>}
          {[...groups, { group: 'This run ($execution)', entries: EXECUTION_ENTRIES }].map((g) => (
            <div key={g.group}>
              <div className="palette-group">{g.group}</div>
              {g.entries.map((e) => (
                <button type="button" role="option" aria-selected={false} key={e.path} className="expr-option" onClick={() => insert(e.path)}>
                  <code>{e.path}</code> <span className="muted">{e.sample}</span>
                </button>
              ))}
            </div>
          ))}
        </div>
      )}
      <div className="expr-preview" id={`${id}-preview`} aria-live="polite" data-testid="expression-preview">
        <span className="muted">Preview: </span>
        {preview.ok ? <code>{typeof preview.value === 'string' ? preview.value : JSON.stringify(preview.value) ?? 'undefined'}</code> : <span className="muted">{preview.reason}</span>}
      </div>
    </div>
  );
}
