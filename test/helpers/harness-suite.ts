/** Start and teardown of a browser suite's app: data directory, Chromium, harness and secrets. */
import type { Browser } from 'playwright-core';
import type { SecretStore } from '../../electron/secrets/secret-store';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { startHarness, type Harness } from './app-harness';
import { launchChromium } from './chromium';
import { tempDir } from './temp-dir';

type HarnessOptions = Parameters<typeof startHarness>[0];
type TempDir = ReturnType<typeof tempDir>;

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

/**
 * One suite's app on `secrets`: `start` makes a data directory, a Chromium and the harness, and
 * `close` undoes whatever of that was made, so a start that fails half-way leaves nothing behind.
 */
export function keychainBrowserSuite(secrets: SecretStore) {
  const parts: { h?: Harness; browser?: Browser; dir?: TempDir } = {};
  return {
    async start(options: Omit<HarnessOptions, 'dataDir' | 'secrets' | 'browser'>): Promise<Harness> {
      parts.dir = tempDir();
      parts.browser = await launchChromium();
      parts.h = await startHarness({ dataDir: parts.dir.path, secrets, browser: parts.browser, ...options });
      return parts.h;
    },
    close: () => closeKeychainSuite(parts, secrets),
  };
}

/**
 * One suite's app with secrets in memory, on the harness's own Chromium: `start` makes a data
 * directory and the harness, and `close` undoes whatever of that was made.
 */
export function memorySecretsSuite() {
  const parts: { h?: Harness; dir?: TempDir } = {};
  return {
    async start(options: Omit<HarnessOptions, 'dataDir' | 'secrets'>): Promise<Harness> {
      parts.dir = tempDir();
      parts.h = await startHarness({ dataDir: parts.dir.path, secrets: new MemorySecretStore(), ...options });
      return parts.h;
    },
    async close(): Promise<void> {
      await parts.h?.close();
      parts.dir?.cleanup();
    },
  };
}
