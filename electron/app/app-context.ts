/**
 * Builds everything the app needs from a data directory: database, repos,
 * keychain, Vault client, services. Electron's main, the CLI and the tests
 * all call this, so they run the same code on the same files.
 */
import { makePrivateDir } from '../store/private-files';
import { userInfo } from 'node:os';
import { openDatabase, type Db } from '../store/database';
import { ConnectionsRepo } from '../connections/connections-repo';
import { AuditRepo } from '../store/audit-repo';
import { TokensRepo } from '../tokens/tokens-repo';
import type { SecretStore } from '../secrets/secret-store';
import { KeyringSecretStore } from '../secrets/keyring-store';
import { appMethods, type AppService } from './app-service';
import { connectionsMethods, discoverMethods } from '../connections/connections-methods';
import { DiscoverService } from '../connections/discover-service';
import { ConnectionsService } from '../connections/connections-service';
import { TokensService, type RevealGate } from '../tokens/tokens-service';
import { SyncService } from '../tokens/sync-service';
import { GenerateMany } from '../tokens/generate-many';
import { tokensMethods } from '../tokens/tokens-methods';
import { VaultGateway } from '../connections/vault-gateway';
import { SsoSessions } from '../connections/sso-sessions';
import { probeVault } from '../connections/vault-probe';
import { SignInMigration } from '../connections/signin-migration';
import { MemoryClipboard, SecretClipboard, type TextClipboard } from '../tokens/clipboard';
import { noEvents, type EventEmitterFn } from './events';
import { systemClock, type Clock } from '../../shared/clock';
import { VaultClient } from '../vault/client';
import { silentLogger, type Logger } from '../log';
import { databasePath } from '../paths';
import { createReminders, type Reminders } from '../reminders';
import { remindersMethods } from '../reminders/reminders-methods';
import { DeliveriesRepo } from '../deliveries/deliveries-repo';
import { DeliveriesService, type DeliveryGate } from '../deliveries/deliveries-service';
import { deliveriesMethods } from '../deliveries/deliveries-methods';
import { deliveryGateFromRevealGate } from '../deliveries/delivery-gate';
import { BulkRotation } from '../tokens/bulk-rotation';
import { rotationMethods } from '../tokens/rotation-methods';

export interface AppContextOptions {
  dataDir: string;
  version: string;
  secrets?: SecretStore;
  logger?: Logger;
  clock?: Clock;
  /** How main reaches Vault: Electron's net.fetch in the app, Node's fetch elsewhere. */
  fetch?: typeof fetch;
  /** Vault request timeout; default 30 s. */
  vaultTimeoutMs?: number;
  clipboard?: TextClipboard;
  emit?: EventEmitterFn;
  syncConcurrency?: number;
  /** Keep Vault sessions alive while the app is in use (the desktop app; not the CLI or tests). */
  keepSessionsAlive?: boolean;
  /**
   * Re-check due reminders after each sync. Only where someone shows them (the desktop
   * app): elsewhere a check would record reminders as given without anyone seeing them.
   */
  remindAfterSync?: boolean;
  /** Who the audit log names; defaults to the OS user. */
  actor?: string;
  /**
   * Asks the person before a stored token value is shown or copied (tokens-service.ts RevealGate).
   * The desktop app shows a native dialog; the CLI asks nobody (the person at the terminal is the
   * one asking). Without one, every reveal is refused: a transport that forgets it leaks nothing.
   */
  revealGate?: RevealGate;
  /** Asks the person before a new delivery target may receive a token's value; default: the reveal gate. */
  deliveryGate?: DeliveryGate;
  /** Opens the system browser for single sign-on (RFC 8252 §7.3). Without one, only device codes work. */
  openExternal?: (url: string) => Promise<void>;
  /** Where VAULT_TOKEN_DESK_LOGIN_HOST is read; default process.env. */
  env?: Record<string, string | undefined>;
}

const NO_REVEAL_GATE: RevealGate = async () => false;

export interface AppContext {
  dataDir: string;
  db: Db;
  service: AppService;
  connections: ConnectionsService;
  tokens: TokensService;
  tokensRepo: TokensRepo;
  sync: SyncService;
  deliveries: DeliveriesService;
  rotation: BulkRotation;
  reminders: Reminders;
  gateway: VaultGateway;
  secrets: SecretStore;
  logger: Logger;
  /** The one-time move to shared sign-in items; run at startup, and awaited before any is used. */
  signInLayout: SignInMigration;
  discover: DiscoverService;
  close(): Promise<void>;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export function createAppContext(options: AppContextOptions): AppContext {
  makePrivateDir(options.dataDir);
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const emit = options.emit ?? noEvents;
  const db = openDatabase(databasePath(options.dataDir));
  const secrets = options.secrets ?? new KeyringSecretStore();
  const audit = new AuditRepo(db, options.actor ?? osUser());
  const connectionsRepo = new ConnectionsRepo(db);
  const tokensRepo = new TokensRepo(db);
  // Saved sign-ins move once to one shared item per account (issue 15), before any is read or written.
  const signInLayout = new SignInMigration({ db, repo: connectionsRepo, secrets, clock, logger });
  const connections = new ConnectionsService({
    connections: connectionsRepo,
    audit,
    secrets,
    clock,
    logger,
    signInLayout,
  });
  const client = new VaultClient({
    fetch: options.fetch ?? fetch,
    logger: logger.child({ component: 'vault' }),
    now: () => clock.now(),
    ...(options.vaultTimeoutMs ? { timeoutMs: options.vaultTimeoutMs } : {}),
    onNotice: (_connectionId, message) => emit('app:notice', { level: 'info', message }),
  });
  const sso = new SsoSessions({
    fetch: options.fetch ?? fetch,
    secrets,
    repo: connectionsRepo,
    audit,
    clock,
    logger,
    ...(options.openExternal ? { openUrl: options.openExternal } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.vaultTimeoutMs ? { timeoutMs: options.vaultTimeoutMs } : {}),
    signInLayout,
  });
  const gateway = new VaultGateway(
    client,
    connectionsRepo,
    secrets,
    clock,
    logger,
    options.keepSessionsAlive ?? false,
    sso,
    signInLayout,
  );
  const reminders = createReminders({ db, clock, logger, audit });
  const expiringSoonDays = () => reminders.settings.expiringSoonDays();
  const clipboard = new SecretClipboard(options.clipboard ?? new MemoryClipboard());
  const tokens = new TokensService({
    connections,
    connectionsRepo,
    tokens: tokensRepo,
    audit,
    secrets,
    gateway,
    clipboard,
    clock,
    logger,
    expiringSoonDays,
    revealGate: options.revealGate ?? NO_REVEAL_GATE,
  });
  const deliveries = new DeliveriesService({
    repo: new DeliveriesRepo(db),
    tokens: tokensRepo,
    secrets,
    audit,
    clock,
    logger: logger.child({ component: 'deliveries' }),
    confirmTarget: options.deliveryGate ?? deliveryGateFromRevealGate(options.revealGate ?? NO_REVEAL_GATE),
  });
  const rotation = new BulkRotation({
    tokens,
    tokensRepo,
    deliveries,
    connections,
    gateway,
    audit,
    clock,
    logger: logger.child({ component: 'rotation' }),
    expiringSoonDays,
    onProgress: (p) => emit('tokens:rotate-progress', p),
  });
  const sync = new SyncService({
    connections,
    connectionsRepo,
    tokens: tokensRepo,
    secrets,
    audit,
    gateway,
    clock,
    logger,
    onProgress: (p) => emit('sync:progress', p),
    // New expiry dates may make reminders due now: check once per sync run.
    ...(options.remindAfterSync ? { onFinished: () => reminders.scheduler.safely('tick') } : {}),
    ...(options.syncConcurrency ? { concurrency: options.syncConcurrency } : {}),
  });
  const discover = new DiscoverService({
    connections,
    connectionsRepo,
    gateway,
    audit,
    clock,
    sync: (ids) => sync.syncAll(ids),
  });
  const deps = {
    version: options.version,
    dataDir: options.dataDir,
    audit,
    secrets,
    connections,
    gateway,
    emit,
    hasUnsavedValues: (id: string) => tokens.hasUnsavedValues(id),
  };
  const service: AppService = {
    ...appMethods(deps),
    ...connectionsMethods({
      ...deps,
      connectionsRepo,
      clock,
      discover,
      copyText: (text) => clipboard.copy(text),
      probe: (dns) =>
        probeVault(
          { fetch: options.fetch ?? fetch, logger: logger.child({ component: 'probe' }), now: () => clock.now() },
          dns,
        ),
    }),
    ...tokensMethods({
      tokens,
      sync,
      tokensRepo,
      clock,
      emit,
      expiringSoonDays,
      staleAfterDays: () => reminders.settings.staleAfterDays(),
      generateMany: new GenerateMany({ tokens, connections, audit, clock, logger }),
    }),
    ...remindersMethods({ reminders: reminders.service }),
    ...deliveriesMethods({ deliveries }),
    ...rotationMethods({ rotation, emit }),
    ...discoverMethods({ discover, emit }),
  };
  return {
    dataDir: options.dataDir,
    db,
    service,
    connections,
    tokens,
    tokensRepo,
    sync,
    deliveries,
    rotation,
    reminders,
    gateway,
    secrets,
    logger,
    signInLayout,
    discover,
    async close() {
      reminders.scheduler.stop();
      await clipboard.clearNow().catch(() => undefined);
      await gateway.endAll().catch(() => undefined);
      db.close();
    },
  };
}
