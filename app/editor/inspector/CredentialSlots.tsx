import { useState } from 'react';
import type { CredentialKindEntry, CredentialSummary, NodeCatalogEntry } from '../../../runtime/services/types.js';
import { useEditor } from '../store/context';
import type { EditorNode } from '../store/types';
import { CredentialModal } from './CredentialModal';

const NEW = '__new__';

/** Each credential slot of the node: pick a saved credential of the right kind, or create one. */
export function CredentialSlots({ node, entry, credentials, kinds, onCreated }: {
  node: EditorNode; entry: NodeCatalogEntry; credentials: CredentialSummary[]; kinds: CredentialKindEntry[]; onCreated(): Promise<void>;
}) {
  const bind = useEditor((s) => s.bindCredential);
  const slots = useEditor((s) => s.credentials);
  const readOnly = useEditor((s) => s.readOnly);
  const [creating, setCreating] = useState<string>();
  const declared = Object.entries(entry.credentials);
  if (declared.length === 0) return null;

  return (
    <section className="inspector-section" aria-label="Credentials">
      <h3>Credentials</h3>
      {declared.map(([slot, spec]) => {
        const accepted = spec.kind.split('|');
        const options = credentials.filter((c) => accepted.includes(c.kind));
        const key = node.data.credentials?.[slot];
        const bound = key ? slots[key]?.id : undefined;
        const id = `cred-slot-${node.id}-${slot}`;
        return (
          <div className="field" key={slot}>
            <div className="field-label"><label htmlFor={id}>{spec.title}</label>{!spec.optional && <span className="req" title="Required">*</span>}</div>
            <select id={id} disabled={readOnly} value={bound ?? ''} onChange={(e) => {
              if (e.target.value === NEW) { setCreating(slot); return; }
              bind(node.id, slot, options.find((c) => c.id === e.target.value));
            }}>
              <option value="">{spec.optional ? 'None' : 'Choose a credential…'}</option>
              {options.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              <option value={NEW}>+ New credential…</option>
            </select>
            {key && !bound && <div className="field-error">The credential this flow used is not in this workspace; choose one.</div>}
            {creating === slot && (
              <CredentialModal
                kinds={kinds.filter((k) => accepted.includes(k.kind))}
                onClose={() => setCreating(undefined)}
                onCreated={(created) => {
                  setCreating(undefined);
                  void onCreated().then(() => bind(node.id, slot, created));
                }}
              />
            )}
          </div>
        );
      })}
    </section>
  );
}
