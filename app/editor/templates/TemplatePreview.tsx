import { useEffect } from 'react';
import { ReactFlowProvider, useReactFlow } from '@xyflow/react';
import type { FlowDocument } from '../../../runtime/flow/document.js';
import type { NodeCatalogEntry } from '../../../runtime/services/types.js';
import { Canvas } from '../canvas/Canvas';
import { EditorProvider, useEditorStore } from '../store/context';

function Loaded({ flow, catalog }: { flow: FlowDocument; catalog: NodeCatalogEntry[] }) {
  const store = useEditorStore();
  const view = useReactFlow();
  useEffect(() => {
    store.getState().setCatalog(catalog);
    store.getState().load(flow, { readOnly: true });
    const frame = requestAnimationFrame(() => void view.fitView({ padding: 0.15 }));
    return () => cancelAnimationFrame(frame);
  }, [store, view, flow, catalog]);
  return <Canvas />;
}

/** The template's flow on the editor's own canvas, read-only (its own store: nothing is saved). */
export function TemplatePreview({ flow, catalog, height = 360 }: { flow: FlowDocument; catalog: NodeCatalogEntry[]; height?: number }) {
  return (
    <div className="card" style={{ height, display: 'flex', overflow: 'hidden' }} data-testid="template-preview">
      <EditorProvider>
        <ReactFlowProvider>
          <Loaded flow={flow} catalog={catalog} />
        </ReactFlowProvider>
      </EditorProvider>
    </div>
  );
}
