/**
 * The application service: one method per contract channel
 * (shared/contract/). Each domain contributes the methods for its own
 * channels; this file only merges them. It never imports Electron, so the same
 * object serves the app, the browser test harness and the CLI.
 */
import type { MethodsFor, ServiceMethods } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { appContract } from '../../shared/contract/app';
import type { connectionsContract } from '../../shared/contract/connections';
import type { AuditRepo } from '../store/audit-repo';
import type { SecretStore } from '../secrets/secret-store';
import type { ConnectionsService } from '../connections/connections-service';
import type { VaultGateway } from '../connections/vault-gateway';
import type { EventEmitterFn } from './events';

export interface AppServiceDeps {
  version: string;
  dataDir: string;
  audit: AuditRepo;
  secrets: SecretStore;
  connections: ConnectionsService;
}

export function appMethods(deps: AppServiceDeps): MethodsFor<typeof appContract> {
  return {
    async appInfo() {
      return { version: deps.version, dataDir: deps.dataDir, platform: process.platform, keychain: await deps.secrets.status() };
    },
    async listAudit(request) {
      return deps.audit.list(request.limit, request.beforeId);
    },
  };
}

export function connectionsMethods(
  deps: Pick<AppServiceDeps, 'connections'> & { gateway: VaultGateway; emit: EventEmitterFn; hasUnsavedValues: (connectionId: string) => boolean },
): MethodsFor<typeof connectionsContract> {
  // Every window showing connections (list, strip, pickers) reloads on this event.
  const changed = <T>(reason: string, value: T): T => {
    deps.emit('connections:changed', { reason });
    return value;
  };
  return {
    listConnections: async () => deps.connections.list(),
    createConnection: async (request) => changed('create', await deps.connections.create(request)),
    async updateConnection(request) {
      const updated = await deps.connections.update(request);
      // DNS, user or auth method may have changed: the cached session is no longer right.
      await deps.gateway.forget(updated.id);
      return changed('update', updated);
    },
    async removeConnection(request) {
      if (deps.hasUnsavedValues(request.id)) {
        throw new AppError('GUARD', 'A token generated on this connection has a value that is not in the keychain yet. Copy it and confirm first; nothing was removed.');
      }
      await deps.connections.remove(request.id);
      await deps.gateway.forget(request.id);
      return changed('remove', { removed: true as const });
    },
  };
}

export type AppService = ServiceMethods;
