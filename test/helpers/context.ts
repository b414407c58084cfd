import { createAppContext, type AppContext, type AppContextOptions } from '../../electron/app/app-context';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import { tempDir } from './temp-dir';

/** An app context on a fresh temp data dir; in-memory keychain unless one is given. */
export function testContext(
  overrides: Partial<AppContextOptions> = {},
): AppContext & { secretsMemory: MemorySecretStore | null; cleanup: () => Promise<void> } {
  const dir = tempDir();
  const memory = overrides.secrets ? null : new MemorySecretStore();
  const ctx = createAppContext({
    dataDir: dir.path,
    version: '0.0.0-test',
    actor: 'tester',
    secrets: memory ?? overrides.secrets!,
    // Tests stand in for the person answering the desktop app's confirmation.
    revealGate: async () => true,
    ...overrides,
  });
  return Object.assign(ctx, {
    secretsMemory: memory,
    cleanup: async () => {
      await ctx.close();
      dir.cleanup();
    },
  });
}
