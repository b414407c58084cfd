// Child-process probe: tries the real keychain store and prints what happened
// as JSON. Used to test the "no keychain" path with a broken D-Bus address,
// since the keyring library caches its connection per process.
import { KeyringSecretStore } from '../../electron/secrets/keyring-store';

async function main(): Promise<void> {
  const store = new KeyringSecretStore('Vault Token Desk probe');
  const result: Record<string, unknown> = {};
  try {
    await store.set('probe/x', 'never-written');
    result.set = 'ok';
  } catch (error) {
    result.set = { code: (error as { code?: string }).code, message: (error as Error).message };
  }
  result.status = await store.status();
  process.stdout.write(JSON.stringify(result));
}
void main();
