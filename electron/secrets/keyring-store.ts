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
  constructor(private readonly service: string = KEYCHAIN_SERVICE) {}

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

  async list(): Promise<string[]> {
    // Probe the pinned store first: findCredentials takes no store option and
    // must not silently read another backend.
    this.entry(PROBE_ACCOUNT);
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
