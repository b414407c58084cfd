import { createAppContext, type AppContext, type AppContextOptions } from '../../electron/app/app-context';
import { MemorySecretStore } from '../../electron/secrets/memory-store';
import type { EventEmitterFn } from '../../electron/app/events';
import { createLogger, type Logger, type LogSink } from '../../electron/log';
import type { SecretStore } from '../../electron/secrets/secret-store';
import { createTrustingFetch } from '../fake-vault/https-fetch';
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

/**
 * The createAppContext options the keychain integration suites share: their data directory and
 * keychain, debug logs into `sink`, and, with a fake Vault, a fetch that trusts its CA.
 */
export function keychainContextOptions(o: {
  dataDir: string;
  secrets: SecretStore;
  sink: LogSink;
  fake?: { caPem: string };
}): Pick<AppContextOptions, 'dataDir' | 'version' | 'actor' | 'secrets' | 'logger' | 'fetch'> {
  return {
    dataDir: o.dataDir,
    version: 'test',
    actor: 'tester',
    secrets: o.secrets,
    logger: createLogger(o.sink, 'debug'),
    ...(o.fake ? { fetch: createTrustingFetch(o.fake.caPem) } : {}),
  };
}

/**
 * `createContext` for the in-process CLI (`run` in electron/cli/main.ts): the app context the CLI
 * would make, but on `secrets` and, where `fake` gives a fake Vault, with a fetch that trusts its
 * CA. `fake` is read when the CLI starts, after the suite's beforeAll has started the Vault.
 */
export function cliTestContext(
  secrets: SecretStore,
  fake?: () => { caPem: string },
): (dataDir: string, emit: EventEmitterFn, logger: Logger) => AppContext {
  return (dataDir, emit, logger) =>
    createAppContext({
      dataDir,
      version: '0.0.0-test',
      secrets,
      ...(fake ? { fetch: createTrustingFetch(fake().caPem) } : {}),
      emit,
      logger,
      actor: 'tester',
    });
}
