/**
 * In-memory SecretStore for unit tests only. The app never constructs it:
 * a missing keychain is an error, never a reason to keep secrets elsewhere.
 */
import { keychainUnavailable, type SecretStore } from './secret-store';

export class MemorySecretStore implements SecretStore {
  readonly items = new Map<string, string>();
  /** Set to simulate a locked or missing keychain. */
  unavailable: string | null = null;
  /** Set to make only writes fail (e.g. a keychain that refuses after Vault minted a token). */
  failWrites: string | null = null;

  private check(): void {
    if (this.unavailable) throw keychainUnavailable(this.unavailable);
  }

  async get(account: string): Promise<string | null> {
    this.check();
    return this.items.get(account) ?? null;
  }

  async set(account: string, secret: string): Promise<void> {
    this.check();
    if (this.failWrites) throw keychainUnavailable(this.failWrites);
    this.items.set(account, secret);
  }

  async delete(account: string): Promise<boolean> {
    this.check();
    return this.items.delete(account);
  }

  async list(): Promise<string[]> {
    this.check();
    return [...this.items.keys()].sort();
  }

  async status(): Promise<{ available: boolean; message: string | null }> {
    return this.unavailable
      ? { available: false, message: keychainUnavailable(this.unavailable).message }
      : { available: true, message: null };
  }
}
