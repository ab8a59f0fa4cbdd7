import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A dialog over the page: focus moves into it, Escape closes it, focus returns where it was. The
 * backdrop click closes too, except while `busy` (a request is on its way).
 */
export function Modal({ title, onClose, children, wide, busy }: { title: string; onClose(): void; children: ReactNode; wide?: boolean; busy?: boolean }) {
  const id = useId();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const first = ref.current?.querySelector<HTMLElement>('input, select, textarea, button:not(.modal-close)');
    (first ?? ref.current)?.focus();
    return () => previous?.focus();
  }, []);
  return (
    <div className="modal-backdrop" onMouseDown={(e) => { if (e.target === e.currentTarget && !busy) onClose(); }}>
      <div
        ref={ref}
        className={`modal${wide ? ' wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={id}
        tabIndex={-1}
        onKeyDown={(e) => { if (e.key === 'Escape' && !busy) { e.stopPropagation(); onClose(); } }}
      >
        <div className="row" style={{ marginBottom: 12 }}>
          <h2 id={id} className="grow" style={{ margin: 0 }}>{title}</h2>
          <button type="button" className="ghost small modal-close" aria-label="Close" onClick={onClose}>✕</button>
        </div>
        {children}
      </div>
    </div>
  );
}

/** "Are you sure?" with the consequence spelled out; the destructive button is red. */
export function ConfirmDialog({ title, message, confirmLabel, onConfirm, onCancel, busy }: {
  title: string; message: ReactNode; confirmLabel: string; onConfirm(): void; onCancel(): void; busy?: boolean;
}) {
  return (
    <Modal title={title} onClose={onCancel} busy={busy}>
      <div>{message}</div>
      <div className="modal-actions">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="button" className="danger solid" onClick={onConfirm} disabled={busy}>{confirmLabel}</button>
      </div>
    </Modal>
  );
}
