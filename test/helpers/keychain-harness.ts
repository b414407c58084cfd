/** Teardown for the browser suites that keep their secrets in the real OS keychain. */
import type { Browser } from 'playwright-core';
import type { SecretStore } from '../../electron/secrets/secret-store';
import type { Harness } from './app-harness';

/**
 * Closes the app and the browser, forgets every keychain entry the suite made and removes its data
 * directory. Each part may be missing: the suite's beforeAll can fail half-way.
 */
export async function closeKeychainSuite(
  parts: { h?: Harness; browser?: Browser; dir?: { cleanup: () => void } },
  secrets: SecretStore,
): Promise<void> {
  await parts.h?.close();
  await parts.browser?.close();
  for (const account of await secrets.list()) await secrets.delete(account);
  parts.dir?.cleanup();
}
