/**
 * SecretStore over the OS keychain through @napi-rs/keyring (keytar's API,
 * N-API, maintained). On Linux the Secret Service store is pinned so that a
 * missing keyring fails loudly instead of falling back to the kernel keyring,
 * which does not survive a reboot (as VS Code's secretStorageService.ts does: say so plainly, never fall back to a weaker store).
 */
import { AsyncEntry, findCredentialsAsync, type EntryOptions } from '@napi-rs/keyring';
import { AppError } from '../../shared/errors';
import { KEYCHAIN_SERVICE, keychainUnavailable, type SecretStore } from './secret-store';

const ENTRY_OPTIONS: EntryOptions = { linux: { store: 'secret-service' } };
const PROBE_ACCOUNT = 'probe/availability';

/** Messages from the keyring crate that mean "there is no usable store". */
const UNAVAILABLE =
  /dbus|secret ?service|no storage|platform failure|no such interface|org\.freedesktop|locked|not available|prompt dismissed|user canceled|interaction not allowed/i;

function classify(error: unknown, action: string): AppError {
  const message = error instanceof Error ? error.message : String(error);
  if (UNAVAILABLE.test(message)) return keychainUnavailable(firstLine(message), error);
  return new AppError('KEYCHAIN_FAILED', `The OS keychain could not ${action}: ${firstLine(message)}`, {
    cause: error,
  });
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).slice(0, 200);
}

export class KeyringSecretStore implements SecretStore {
  /** Whether the pinned store answered once: opening an entry costs a D-Bus connection (~30 ms) on Linux. */
  private probed = false;

  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

  /** findCredentials takes no store option: prove once that the pinned store is the one answering. */
  private probePinnedStore(): void {
    if (this.probed) return;
    this.entry(PROBE_ACCOUNT);
    this.probed = true;
  }

  private entry(account: string): AsyncEntry {
    try {
      return new AsyncEntry(this.service, account, ENTRY_OPTIONS);
    } catch (error) {
      throw classify(error, 'open an item');
    }
  }

  async get(account: string): Promise<string | null> {
    try {
      return await this.entry(account).getPassword();
    } catch (error) {
      throw error instanceof AppError ? error : classify(error, 'read a secret');
    }
  }

  async set(account: string, secret: string): Promise<void> {
    try {
      await this.entry(account).setPassword(secret);
    } catch (error) {
      throw error instanceof AppError ? error : classify(error, 'save a secret');
    }
  }

  async delete(account: string): Promise<boolean> {
    try {
      return await this.entry(account).deleteCredential();
    } catch (error) {
      throw error instanceof AppError ? error : classify(error, 'delete a secret');
    }
  }

  /**
   * One search of this service's items instead of one request per account: on Linux each entry
   * opens its own Secret Service connection (~30 ms, on the main thread; issue 14 measured it).
   * Values of accounts not asked for are dropped at once.
   */
  async getMany(wanted: readonly string[]): Promise<Map<string, string | null>> {
    this.probePinnedStore();
    const result = new Map<string, string | null>(wanted.map((account) => [account, null]));
    try {
      for (const c of await findCredentialsAsync(this.service))
        if (result.has(c.account)) result.set(c.account, c.password);
    } catch (error) {
      throw classify(error, 'read secrets');
    }
    return result;
  }

  async list(): Promise<string[]> {
    // Probe the pinned store first: findCredentials must not silently read another backend.
    this.probePinnedStore();
    try {
      const found = await findCredentialsAsync(this.service);
      return found
        .map((c) => c.account)
        .filter((a) => a !== PROBE_ACCOUNT)
        .sort();
    } catch (error) {
      throw classify(error, 'list secrets');
    }
  }

  async status(): Promise<{ available: boolean; message: string | null }> {
    try {
      await this.entry(PROBE_ACCOUNT).getPassword();
      return { available: true, message: null };
    } catch (error) {
      const appError = error instanceof AppError ? error : classify(error, 'be reached');
      return { available: false, message: appError.message };
    }
  }
}
