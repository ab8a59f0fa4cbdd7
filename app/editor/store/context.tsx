import { createContext, useContext, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createEditorStore, type EditorState, type EditorStore } from './store';

const EditorContext = createContext<EditorStore | null>(null);

/** One store per mounted editor (a new flow gets a fresh one), shared through context. */
export function EditorProvider({ children, store }: { children: ReactNode; store?: EditorStore }) {
  const [value] = useState(() => store ?? createEditorStore());
  return <EditorContext.Provider value={value}>{children}</EditorContext.Provider>;
}

export function useEditorStore(): EditorStore {
  const store = useContext(EditorContext);
  if (!store) throw new Error('useEditor must be used inside <EditorProvider>');
  return store;
}

export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}
