import { useEffect } from 'react';
import { useReactFlow } from '@xyflow/react';
import { useEditorStore } from './store/context';

const CLIP_KEY = 'switchyard:clipboard';

/** True when the key press belongs to a text field (or the code editor), not to the canvas. */
function typing(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || !!target.closest('.cm-editor');
}

/**
 * Editor keyboard shortcuts (listed in ShortcutsHelp). Undo/redo and clipboard keys are left to
 * text fields while one has focus, so Ctrl+Z in a field undoes typing, not a graph edit.
 */
export function useShortcuts(actions: { save(): void; help(): void; escape(): void }) {
  const store = useEditorStore();
  const flow = useReactFlow();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const mod = e.ctrlKey || e.metaKey;
      const key = e.key.toLowerCase();
      const s = store.getState();
      if (mod && key === 's') { e.preventDefault(); actions.save(); return; }
      if (typing(e.target)) return;
      if (mod && key === 'z' && !e.shiftKey) { e.preventDefault(); s.undo(); }
      else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) { e.preventDefault(); s.redo(); }
      else if (mod && key === 'c') {
        const text = s.copySelection();
        if (text) { window.localStorage.setItem(CLIP_KEY, text); void navigator.clipboard?.writeText(text).catch(() => {}); }
      } else if (mod && key === 'v') {
        // The system clipboard when the page may read it, else our own copy (works across flows).
        const fallback = window.localStorage.getItem(CLIP_KEY) ?? '';
        void (navigator.clipboard?.readText() ?? Promise.resolve(fallback)).catch(() => fallback)
          .then((text) => { if (!store.getState().paste(text)) store.getState().paste(fallback); });
      } else if (mod && key === 'd') {
        e.preventDefault();
        const text = s.copySelection();
        if (text) s.paste(text);
      } else if (mod && key === 'a') {
        e.preventDefault();
        s.onNodesChange(s.nodes.map((n) => ({ type: 'select', id: n.id, selected: true })));
      } else if (key === 'delete' || key === 'backspace') { e.preventDefault(); s.deleteSelected(); }
      else if (e.shiftKey && e.code === 'Digit1') void flow.fitView({ duration: 200 });
      else if (e.shiftKey && key === 'l') s.tidyUp();
      else if (key === 'escape') actions.escape();
      else if (e.key === '?') actions.help();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, flow, actions]);
}
