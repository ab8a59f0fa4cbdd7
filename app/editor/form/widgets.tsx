import { lazy, Suspense, useEffect, useState } from 'react';
import { useFormEnv } from './context';
import { CronInput } from './CronInput';
import type { FieldProps } from './Field';
import { ObjectFields } from './SchemaForm';
import { enumLabel, isInteger, isRecord, readLooseJson, resolve, showLooseJson, type FieldKind, type JsonSchema } from './schema';

// CodeMirror is large; only forms with a code field load it.
const CodeInput = lazy(() => import('./CodeInput'));

type WidgetProps = FieldProps & { id: string; kind: FieldKind; invalid: boolean; label: string };

/** The control for one field kind (label, help and error are drawn by Field). */
export function Widget(props: WidgetProps) {
  const { id, kind, schema, value, onChange, invalid } = props;
  const { readOnly } = useFormEnv();
  const common = { id, 'aria-invalid': invalid, 'aria-describedby': `${id}-help ${id}-error`, disabled: readOnly };
  switch (kind) {
    case 'boolean':
      return (
        // The text beside the box still toggles it (a label), but the box's accessible name is the
        // field title alone and this text its description: screen readers say each once.
        <label className="row" style={{ fontWeight: 400 }}>
          <input type="checkbox" {...common} aria-labelledby={`${id}-label`} aria-describedby={`${id}-desc ${id}-error`}
            checked={value === true || (value === undefined && schema.default === true)} onChange={(e) => onChange(e.target.checked)} />
          <span className="muted" id={`${id}-desc`}>{typeof schema.description === 'string' ? schema.description : 'On'}</span>
        </label>
      );
    case 'number':
      return (
        <input type="number" {...common} step={isInteger(schema) ? 1 : 'any'} placeholder={placeholder(schema)}
          value={typeof value === 'number' ? value : ''}
          onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))} />
      );
    case 'enum':
      return (
        <select {...common} value={value === undefined ? String(schema.default ?? '') : String(value)} onChange={(e) => onChange(e.target.value)}>
          {schema.default === undefined && <option value="">Choose…</option>}
          {(Array.isArray(schema.enum) ? schema.enum : []).map((option) => <option key={String(option)} value={String(option)}>{enumLabel(schema, option)}</option>)}
        </select>
      );
    case 'multi':
      return <MultiSelect {...props} />;
    case 'key-value':
      return <KeyValueList {...props} />;
    case 'list':
      return <ObjectList {...props} />;
    case 'object':
      return (
        <div className="nested">
          <ObjectFields schema={schema} root={props.root} value={isRecord(value) ? value : {}} path={props.path} idPrefix={props.idPrefix} onChange={(next) => onChange(next)} />
        </div>
      );
    case 'code':
      return (
        <Suspense fallback={<textarea {...common} value={typeof value === 'string' ? value : ''} readOnly />}>
          <CodeInput id={id} label={props.label} value={typeof value === 'string' ? value : String(schema.default ?? '')} language={schema.language === 'json' ? 'json' : 'javascript'} onChange={onChange} readOnly={readOnly} />
        </Suspense>
      );
    case 'cron':
      return <CronInput {...common} value={typeof value === 'string' ? value : ''} placeholder={placeholder(schema)} onChange={onChange} />;
    case 'json':
      return <LooseJson {...props} />;
    case 'textarea':
      return <textarea {...common} placeholder={placeholder(schema)} value={typeof value === 'string' ? value : showLooseJson(value)} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />;
    default:
      return (
        <input type={schema.secret === true ? 'password' : 'text'} {...common} placeholder={placeholder(schema)}
          autoComplete={schema.secret === true ? 'new-password' : 'off'}
          value={typeof value === 'string' ? value : value === undefined ? '' : String(value)}
          onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)} />
      );
  }
}

function placeholder(schema: JsonSchema): string | undefined {
  if (typeof schema.placeholder === 'string') return schema.placeholder;
  return schema.default !== undefined && typeof schema.default !== 'object' ? String(schema.default) : undefined;
}

/** Any JSON value, typed loosely (see `readLooseJson`); the text is kept while it does not parse. */
function LooseJson({ id, value, onChange, invalid, schema }: WidgetProps) {
  const { readOnly } = useFormEnv();
  const [text, setText] = useState(() => showLooseJson(value));
  const [error, setError] = useState<string>();
  // Undo/redo or another panel may change the value underneath; follow it unless mid-typing.
  useEffect(() => {
    const parsed = readLooseJson(text);
    if ('value' in parsed && JSON.stringify(parsed.value) !== JSON.stringify(value)) setText(showLooseJson(value));
    // Only when the value changes from outside (text is deliberately not a dependency).
  }, [value]);
  return (
    <>
      <textarea id={id} className="mono" rows={Math.min(8, Math.max(1, text.split('\n').length))} aria-invalid={invalid || !!error}
        aria-describedby={`${id}-help ${id}-error`} disabled={readOnly} placeholder={placeholder(schema) ?? 'text, number, true/false or {"json": "…"}'}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          const parsed = readLooseJson(e.target.value);
          if ('error' in parsed) setError(parsed.error);
          else { setError(undefined); onChange(parsed.value); }
        }} />
      {error && <div className="field-error" role="alert">{error}</div>}
    </>
  );
}

function MultiSelect({ schema, value, onChange, id, root }: WidgetProps) {
  const { readOnly } = useFormEnv();
  const items = resolve(isRecord(schema.items) ? schema.items : {}, root);
  const chosen = Array.isArray(value) ? value : [];
  return (
    <div role="group" aria-labelledby={id} id={id} className="multi">
      {(Array.isArray(items.enum) ? items.enum : []).map((option) => (
        <label key={String(option)} className="row" style={{ fontWeight: 400 }}>
          <input type="checkbox" disabled={readOnly} checked={chosen.includes(option)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, option] : chosen.filter((c) => c !== option))} />
          {enumLabel(items, option)}
        </label>
      ))}
    </div>
  );
}

function KeyValueList({ value, onChange, label }: WidgetProps) {
  const { readOnly } = useFormEnv();
  const rows = Array.isArray(value) ? value.filter(isRecord) : [];
  const set = (index: number, key: 'name' | 'value', text: string) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, [key]: text } : row)));
  return (
    <div className="kv">
      {rows.map((row, i) => (
        <div className="row kv-row" key={i}>
          <input aria-label={`${label} ${i + 1} name`} placeholder="name" disabled={readOnly} value={String(row.name ?? '')} onChange={(e) => set(i, 'name', e.target.value)} />
          <input aria-label={`${label} ${i + 1} value`} placeholder="value" disabled={readOnly} value={String(row.value ?? '')} onChange={(e) => set(i, 'value', e.target.value)} />
          {!readOnly && <button type="button" className="small ghost" aria-label={`Remove ${label} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>✕</button>}
        </div>
      ))}
      {!readOnly && <button type="button" className="small" onClick={() => onChange([...rows, { name: '', value: '' }])}>+ Add {label.toLowerCase()}</button>}
    </div>
  );
}

/** A list of objects (conditions, rules, fields): each item a small card with its own fields. */
function ObjectList({ schema, root, value, onChange, path, idPrefix, label }: WidgetProps) {
  const { readOnly } = useFormEnv();
  const items = resolve(isRecord(schema.items) ? schema.items : {}, root);
  const rows = Array.isArray(value) ? value : [];
  const blank = () => {
    const item: Record<string, unknown> = {};
    for (const [k, p] of Object.entries(isRecord(items.properties) ? items.properties : {})) if (isRecord(p) && p.default !== undefined) item[k] = p.default;
    return item;
  };
  return (
    <div className="list-field">
      {rows.map((row, i) => (
        <div className="list-item" key={i} aria-label={`${label} ${i + 1}`} role="group">
          <div className="row list-item-head"><span className="grow muted">{label} {i + 1}</span>
            {!readOnly && <button type="button" className="small ghost" aria-label={`Remove ${label} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove</button>}
          </div>
          <ObjectFields schema={items} root={root} value={isRecord(row) ? row : {}} path={[...path, i]} idPrefix={`${idPrefix}-${i}`}
            onChange={(next) => onChange(rows.map((r, j) => (j === i ? next : r)))} />
        </div>
      ))}
      {!readOnly && <button type="button" className="small" onClick={() => onChange([...rows, blank()])}>+ Add {singular(label)}</button>}
    </div>
  );
}

function singular(label: string): string {
  const l = label.toLowerCase();
  return l.endsWith('s') ? l.slice(0, -1) : l;
}
