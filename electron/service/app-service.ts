/**
 * The application service: one method per contract channel (shared/contract.ts).
 * It never imports Electron, so the same object serves the app, the browser
 * test harness and the CLI.
 */
import type { RequestOut, ServiceMethods } from '../../shared/contract';
import type { AppInfo } from '../../shared/domain';
import type { AuditRepo } from '../store/audit-repo';
import type { SecretStore } from '../secrets/secret-store';
import type { ConnectionsService } from './connections-service';

export interface AppServiceDeps {
  version: string;
  dataDir: string;
  audit: AuditRepo;
  secrets: SecretStore;
  connections: ConnectionsService;
}

export class AppService implements ServiceMethods {
  constructor(private readonly deps: AppServiceDeps) {}

  async appInfo(): Promise<AppInfo> {
    return {
      version: this.deps.version,
      dataDir: this.deps.dataDir,
      platform: process.platform,
      keychain: await this.deps.secrets.status(),
    };
  }

  async listConnections() {
    return this.deps.connections.list();
  }

  async createConnection(request: RequestOut<'connections:create'>) {
    return this.deps.connections.create(request);
  }

  async updateConnection(request: RequestOut<'connections:update'>) {
    return this.deps.connections.update(request);
  }

  async removeConnection(request: RequestOut<'connections:remove'>) {
    await this.deps.connections.remove(request.id);
    return { removed: true as const };
  }

  async listAudit(request: RequestOut<'audit:list'>) {
    return this.deps.audit.list(request.limit, request.beforeId);
  }
}
