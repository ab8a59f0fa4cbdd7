import { Modal } from '../ui/Modal';
import { CallbackFields } from './CallbackInfo';
import type { CredentialWithInbound } from './inbound-info';

/**
 * Shown right after saving a credential whose provider calls back: what to paste in the provider's
 * console now, while the user has it open. The same values stay on the credential's row.
 */
export function ConnectCredentialModal({ credential, onClose }: { credential: CredentialWithInbound; onClose(): void }) {
  return (
    <Modal title={`Connect “${credential.name}”`} onClose={onClose} wide>
      <p className="muted">Saved. The provider reaches Switchyard at this account’s own address; these values are also on the credentials page.</p>
      <CallbackFields credential={credential} />
      <div className="modal-actions">
        <button type="button" className="primary" onClick={onClose}>Done</button>
      </div>
    </Modal>
  );
}
