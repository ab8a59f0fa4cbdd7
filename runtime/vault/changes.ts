import type { Channels } from '../queue/channels.js';

/**
 * Edits of credentials' stored fields, as every process learns of them (the `credentials` channel),
 * so that what holds decrypted values drops them: the webhook receiver's signature secrets and the
 * credentials a running execution has already loaded. A credential is edited rarely; a message per
 * edit is all it costs.
 */
export class CredentialChanges {
  private seen = 0;
  private readonly listeners = new Set<(credentialId: string) => void>();
  private unsubscribe?: () => Promise<void>;

  constructor(private readonly channels: Channels) {}

  /** Listens for edits made in other processes. */
  async start(): Promise<void> {
    this.unsubscribe = await this.channels.subscribe(this.channels.name('credentials'), (id) => this.apply(id));
  }

  /** How many edits this process has learnt of: values loaded at an older count may be stale. */
  get version(): number {
    return this.seen;
  }

  onChange(listener: (credentialId: string) => void): void {
    this.listeners.add(listener);
  }

  /** After an edit is committed: applied in this process at once, then told to the others. */
  async publish(credentialId: string): Promise<void> {
    this.apply(credentialId);
    await this.channels.publish(this.channels.name('credentials'), credentialId);
  }

  async close(): Promise<void> {
    await this.unsubscribe?.();
  }

  private apply(credentialId: string): void {
    this.seen++;
    for (const listener of this.listeners) listener(credentialId);
  }
}
