/**
 * Builds everything the app needs from a data directory: database, repos,
 * keychain, services. Electron's main, the CLI and the tests all call this,
 * so they run the same code on the same files.
 */
import { mkdirSync } from 'node:fs';
import { userInfo } from 'node:os';
import { openDatabase, type Db } from './store/database';
import { ConnectionsRepo } from './store/connections-repo';
import { AuditRepo } from './store/audit-repo';
import type { SecretStore } from './secrets/secret-store';
import { KeyringSecretStore } from './secrets/keyring-store';
import { appMethods, connectionsMethods, createAppService, type AppService } from './service/app-service';
import { ConnectionsService } from './service/connections-service';
import { systemClock, type Clock } from './service/clock';
import { silentLogger, type Logger } from './log';
import { databasePath } from './paths';

export interface AppContextOptions {
  dataDir: string;
  version: string;
  secrets?: SecretStore;
  logger?: Logger;
  clock?: Clock;
  nativeBinding?: string;
  /** How main reaches Vault: Electron's net.fetch in the app, Node's fetch elsewhere. */
  fetch?: typeof fetch;
  /** Who the audit log names; defaults to the OS user. */
  actor?: string;
}

export interface AppContext {
  dataDir: string;
  db: Db;
  service: AppService;
  connections: ConnectionsService;
  secrets: SecretStore;
  logger: Logger;
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
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;
  const db = openDatabase(databasePath(options.dataDir), options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  const secrets = options.secrets ?? new KeyringSecretStore();
  const audit = new AuditRepo(db, options.actor ?? osUser());
  const connections = new ConnectionsService({ connections: new ConnectionsRepo(db), audit, secrets, clock, logger });
  const deps = { version: options.version, dataDir: options.dataDir, audit, secrets, connections };
  const service = createAppService({
    ...appMethods(deps),
    ...connectionsMethods(deps),
  });
  return {
    dataDir: options.dataDir,
    db,
    service,
    connections,
    secrets,
    logger,
    async close() {
      db.close();
    },
  };
}
