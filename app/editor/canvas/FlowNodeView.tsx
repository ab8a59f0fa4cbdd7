import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { useEditor } from '../store/context';
import { inputPorts, outputPorts } from '../store/graph';
import { catalogKey, type EditorNode } from '../store/types';
import { iconFor } from './icons';

const STATUS_TEXT: Record<string, string> = {
  queued: 'queued', running: 'running…', succeeded: 'done', failed: 'failed', waiting: 'waiting', skipped: 'skipped',
};

/**
 * One node on the canvas. Problems and run status are read from the store by id, so a validation
 * or run update re-renders only the nodes it concerns. Labels are React text (never HTML).
 */
function FlowNodeViewBase({ id, data, selected }: NodeProps<EditorNode>) {
  const entry = useEditor((s) => s.catalog[catalogKey(data.type, data.typeVersion)]);
  const problems = useEditor((s) => s.problemsByNode[id]);
  const status = useEditor((s) => s.nodeStatus[id]);
  const runs = useEditor((s) => s.stepCounts[id] ?? 0);
  const pinned = useEditor((s) => s.pins[id] !== undefined);
  const readOnly = useEditor((s) => s.readOnly);
  const setAddFrom = useEditor((s) => s.setAddFrom);
  const outputs = outputPorts(entry, data);
  const inputs = inputPorts(entry);
  const title = data.label || entry?.title || data.type;
  const named = outputs.length > 1 || (outputs[0] && outputs[0].id !== 'main');

  return (
    <div
      className={`fnode${selected ? ' selected' : ''}${status ? ` run-${status}` : ''}${data.disabled ? ' disabled' : ''}${entry?.trigger ? ' trigger' : ''}`}
      data-testid={`node-${id}`}
      data-status={status}
      aria-label={`${title} (${entry?.title ?? data.type})${pinned ? ', output pinned' : ''}${problems ? `, ${problems.length} problem${problems.length > 1 ? 's' : ''}` : ''}`}
    >
      <div className="fnode-head">
        <span className="fnode-icon" aria-hidden="true">{iconFor(entry?.icon)}</span>
        <span className="fnode-text">
          <span className="fnode-title">{title}</span>
          <span className="fnode-type">
            {entry?.title ?? data.type}{status ? ` · ${STATUS_TEXT[status]}` : ''}
            {runs > 1 && <span data-testid={`node-runs-${id}`} title={`Ran ${runs.toLocaleString('en')} times in this run`}>{` · ×${runs.toLocaleString('en')}`}</span>}
          </span>
        </span>
        {pinned && <span className="fnode-pin" data-testid="node-pinned" title="Output pinned: test runs reuse it">📌 pinned</span>}
        {problems && (
          <span className="fnode-badge" role="img" aria-label={`${problems.length} problem${problems.length > 1 ? 's' : ''}`} title={problems.map((p) => p.message).join('\n')}>
            {problems.length}
          </span>
        )}
      </div>
      {inputs.map((port, i) => (
        <Handle key={port.id} type="target" id={port.id} position={Position.Left} style={{ top: 28 + i * 22 }} aria-label={`input ${port.label}`} />
      ))}
      {outputs.map((port, i) => (
        <div key={port.id} className="fnode-out" style={{ top: 28 + i * 22 }}>
          {named && <span className="fnode-port-label">{port.label}</span>}
          <Handle type="source" id={port.id} position={Position.Right} style={{ top: '50%' }} data-port={port.id} aria-label={`output ${port.label}`} />
          {!readOnly && (
            <button type="button" className="fnode-plus nodrag" aria-label={`Add a node after ${title} (${port.label})`} title="Add the next node here"
              onClick={(e) => { e.stopPropagation(); setAddFrom({ nodeId: id, handle: port.id }); }}>+</button>
          )}
        </div>
      ))}
    </div>
  );
}

export const FlowNodeView = memo(FlowNodeViewBase);
