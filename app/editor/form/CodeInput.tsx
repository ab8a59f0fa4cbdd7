import CodeMirror from '@uiw/react-codemirror';
import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { EditorView } from '@codemirror/view';
import { useMemo } from 'react';

/** A real code editor (CodeMirror 6: highlighting, brackets, undo) for `widget: 'code'` fields. */
export default function CodeInput({ id, label, value, language, onChange, readOnly }: {
  id: string; label: string; value: string; language: 'javascript' | 'json'; onChange(next: string): void; readOnly: boolean;
}) {
  // The label goes on the editable element itself, where screen readers look for it.
  const extensions = useMemo(() => [language === 'json' ? json() : javascript(), EditorView.contentAttributes.of({ 'aria-label': label })], [language, label]);
  return (
    <div className="code-field" id={id}>
      <CodeMirror value={value} height="220px" extensions={extensions} onChange={onChange} readOnly={readOnly}
        basicSetup={{ foldGutter: false, highlightActiveLineGutter: false }} />
    </div>
  );
}
