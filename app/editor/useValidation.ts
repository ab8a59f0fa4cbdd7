import { useEffect } from 'react';
import { api, type Problem } from './api';
import { useEditorStore } from './store/context';

/**
 * Asks the server's validator about the graph 600 ms after the last edit, so error badges follow
 * what is on the canvas without a request per keystroke. Moves alone do not trigger it.
 */
export function useValidation(flowId: string | undefined) {
  const store = useEditorStore();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;
    const check = () => {
      controller?.abort();
      controller = new AbortController();
      const s = store.getState();
      if (s.nodes.length === 0) { s.setProblems([]); return; }
      api<{ problems: Problem[] }>('/flows/validate', { method: 'POST', body: s.toDocument(), signal: controller.signal })
        .then((r) => store.getState().setProblems(r.problems), () => {});
    };
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.dragging) return;
      const changed = state.edges !== previous.edges || state.credentials !== previous.credentials
        || state.nodes.length !== previous.nodes.length || state.nodes.some((n, i) => n.data !== previous.nodes[i]?.data);
      if (!changed) return;
      clearTimeout(timer);
      timer = setTimeout(check, 600);
    });
    return () => { unsubscribe(); clearTimeout(timer); controller?.abort(); };
  }, [store, flowId]);
}
