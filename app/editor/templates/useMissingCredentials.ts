import { useEffect } from 'react';
import type { Problem } from '../api';
import { useEditorStore } from '../store/context';
import type { EditorState } from '../store/store';
import { catalogKey } from '../store/types';

/** The code of the problems this hook adds, so it recognises its own. */
const CODE = 'credential_not_set';

/** Required credential slots with nothing bound: a node without the slot, or a document slot without an id. */
export function missingCredentials(s: Pick<EditorState, 'nodes' | 'catalog' | 'credentials'>): Problem[] {
  const problems: Problem[] = [];
  for (const node of s.nodes) {
    const entry = s.catalog[catalogKey(node.data.type, node.data.typeVersion)];
    for (const [slot, info] of Object.entries(entry?.credentials ?? {})) {
      if (info.optional) continue;
      const key = node.data.credentials?.[slot];
      const ref = key === undefined ? undefined : s.credentials[key];
      if (ref?.id) continue;
      problems.push({
        code: CODE, nodeId: node.id, path: ['credentials', slot],
        message: `node "${node.id}": choose a ${info.title} credential${key ? ` for "${key}"` : ''} (nothing is bound yet)`,
      });
    }
  }
  return problems;
}

/**
 * Marks on the canvas every node whose required credential is not chosen yet (a template imported
 * with a slot skipped), next to the validator's problems: the editor's save-time validation does
 * not ask for credentials, activation does, and the user should see before turning the flow on.
 */
export function useMissingCredentials() {
  const store = useEditorStore();
  useEffect(() => {
    const mark = () => {
      const s = store.getState();
      const own = s.problems.filter((p) => p.code !== CODE);
      const missing = s.catalog && Object.keys(s.catalog).length > 0 ? missingCredentials(s) : [];
      const current = s.problems.filter((p) => p.code === CODE);
      if (current.length === missing.length && current.every((p, i) => p.message === missing[i]?.message)) return;
      s.setProblems([...own, ...missing]);
    };
    mark();
    return store.subscribe((state, previous) => {
      if (state.problems !== previous.problems || state.credentials !== previous.credentials || state.nodes !== previous.nodes || state.catalog !== previous.catalog) mark();
    });
  }, [store]);
}
