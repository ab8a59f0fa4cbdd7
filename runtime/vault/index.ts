export { decryptSecret, encryptionKeyPath, encryptSecret, loadEncryptionKey, parseEncryptionKey } from './crypto.js';
export { createCredentialService, type VaultCredentialService } from './credentials.js';
export { isSecretKey, MIN_SECRET_LENGTH, REDACTED, Redactor, redactSecretKeys, type RedactOptions } from './redact.js';
