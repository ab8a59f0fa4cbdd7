import { useRef, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

/**
 * A value to paste elsewhere (a callback URL, a verify token): read-only, selected on focus, with a
 * Copy button. Where the page may not write the clipboard, the value is selected so Ctrl+C copies it.
 */
export function CopyField({ id, label, value, of, help }: {
  id: string;
  /** Shown above the field, e.g. "Callback URL". */
  label: string;
  value: string;
  /** Whose value it is (a credential's name), so several on one page have distinct accessible names. Default: none. */
  of?: string;
  /** A sentence under the field. Default: none. */
  help?: string;
}) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<CopyState>('idle');
  const named = of ? `${label} of ${of}` : label;

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setState('copied');
    } catch {
      input.current?.select();
      setState('failed');
    }
  }

  return (
    <div className="copy-field">
      <label className="field-label" htmlFor={id}>{label}</label>
      <div className="row">
        <input ref={input} id={id} className="mono grow" readOnly value={value} aria-label={named}
          aria-describedby={help ? `${id}-help` : undefined} onFocus={(e) => e.target.select()} />
        <button type="button" className="small" aria-label={`Copy the ${named[0]!.toLowerCase()}${named.slice(1)}`} onClick={() => void copy()}>
          {state === 'copied' ? 'Copied' : 'Copy'}
        </button>
      </div>
      {state === 'failed' && <div className="field-help" role="status">Selected: press Ctrl+C (⌘C) to copy.</div>}
      {help && <div className="field-help" id={`${id}-help`}>{help}</div>}
    </div>
  );
}
