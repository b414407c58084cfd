import { KeyringSecretStore } from '../../electron/secrets/keyring-store';

/**
 * The real OS keychain for integration tests, under a service name of its own
 * so a run never touches the user's items. Suites call `describe.skipIf(!keychain.available)`
 * so a machine without a keychain reports them skipped, never passed; under
 * CI (or VTD_KEYRING_READY) a missing keychain is a failure instead.
 */
export async function realKeychain(): Promise<{ store: KeyringSecretStore; available: boolean; why: string | null }> {
  const store = new KeyringSecretStore(`Vault Token Desk test ${process.pid}`);
  const status = await store.status();
  if (!status.available && (process.env.CI || process.env.VTD_KEYRING_READY)) {
    throw new Error(`The test keychain should be available here but is not: ${status.message}`);
  }
  return { store, available: status.available, why: status.message };
}
