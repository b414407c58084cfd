/**
 * The application service: one method per contract channel
 * (shared/contract/). Each domain contributes the methods for its own
 * channels; this file only merges them. It never imports Electron, so the same
 * object serves the app, the browser test harness and the CLI.
 */
import type { MethodsFor, ServiceMethods } from '../../shared/contract';
import type { appContract } from '../../shared/contract/app';
import type { AuditRepo } from '../store/audit-repo';
import type { SecretStore } from '../secrets/secret-store';
import type { ConnectionsService } from '../connections/connections-service';

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
      return {
        version: deps.version,
        dataDir: deps.dataDir,
        platform: process.platform,
        keychain: await deps.secrets.status(),
      };
    },
    async listAudit(request) {
      const { limit, beforeId, ...filter } = request;
      return deps.audit.list(limit, beforeId, filter);
    },
  };
}

export type AppService = ServiceMethods;
