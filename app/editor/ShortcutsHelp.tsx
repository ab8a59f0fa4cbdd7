import { Modal } from './ui/Modal';

const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';

export const SHORTCUTS: [string, string][] = [
  [`${MOD} S`, 'Save'],
  [`${MOD} Z`, 'Undo'],
  [`${MOD} Y  /  ${MOD} Shift Z`, 'Redo'],
  [`${MOD} C  /  ${MOD} V`, 'Copy / paste selected nodes (also into another flow)'],
  [`${MOD} D`, 'Duplicate selected nodes'],
  [`${MOD} A`, 'Select all'],
  ['Delete  /  Backspace', 'Delete selected nodes and connections'],
  ['Shift + drag', 'Select several nodes with a box'],
  [`Shift / ${MOD} + click`, 'Add a node to the selection'],
  ['Shift 1', 'Zoom to fit'],
  ['Shift L', 'Tidy up (auto-layout)'],
  ['Escape', 'Clear the selection, close panels'],
  ['?', 'This help'],
];

export function ShortcutsHelp({ onClose }: { onClose(): void }) {
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table className="list" style={{ boxShadow: 'none' }}>
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={keys}><td style={{ whiteSpace: 'nowrap' }}><span className="kbd">{keys}</span></td><td>{what}</td></tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Palette items can be added with Enter; the inspector is reached with Tab.</p>
    </Modal>
  );
}
