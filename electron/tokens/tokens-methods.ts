/** The methods answering shared/contract/tokens.ts, over TokensService and SyncService. */
import type { MethodsFor } from '../../shared/contract';
import type { tokensContract } from '../../shared/contract/tokens';
import type { EventEmitterFn } from '../app/events';
import type { AuditRepo } from '../store/audit-repo';
import type { ConnectionsRepo } from '../connections/connections-repo';
import type { TokensRepo } from './tokens-repo';
import type { Clock } from '../../shared/clock';
import type { ConnectionsService } from '../connections/connections-service';
import type { SyncService } from './sync-service';
import type { TokensService } from './tokens-service';
import type { VaultGateway } from '../connections/vault-gateway';

export interface TokensMethodsDeps {
  tokens: TokensService;
  sync: SyncService;
  tokensRepo: TokensRepo;
  connections: ConnectionsService;
  connectionsRepo: ConnectionsRepo;
  gateway: VaultGateway;
  audit: AuditRepo;
  clock: Clock;
  emit: EventEmitterFn;
  expiringSoonDays: () => number;
}

export function tokensMethods(d: TokensMethodsDeps): MethodsFor<typeof tokensContract> {
  const changed = <T>(reason: string, value: T): T => {
    d.emit('tokens:changed', { reason });
    return value;
  };
  return {
    queryTokens: async (q) => d.tokensRepo.query(q, d.clock.now(), d.expiringSoonDays()),
    generateToken: async (req) => changed('generate', await d.tokens.generate(req)),
    revealToken: ({ rowId }) => d.tokens.reveal(rowId),
    copyToken: ({ rowId }) => d.tokens.copy(rowId),
    confirmTokenSaved: async ({ rowId }) => d.tokens.confirmSaved(rowId),
    revokeTokens: async ({ rowIds }) => changed('revoke', await d.tokens.revoke(rowIds)),
    rotateToken: async ({ rowId, expiry }) => changed('rotate', await d.tokens.rotate(rowId, expiry)),
    completeRotation: async ({ oldRowId, newRowId }) => changed('rotate', await d.tokens.completeRotation(oldRowId, newRowId)),
    syncTokens: async ({ connectionIds }) => changed('sync', await d.sync.syncAll(connectionIds)),
    clearRevoked: async ({ rowIds }) => changed('clear', await d.tokens.clearRevoked(rowIds)),
    exportTokens: async (req) => d.tokens.exportTokens(req),
    importTokens: async ({ content, fileName }) => changed('import', d.tokens.importTokens(content, fileName)),
    clearImported: async () => changed('clear', d.tokens.clearImported()),
    searchUsers: ({ connectionId, search }) => d.tokens.searchUsers(connectionId, search),
    async testConnection({ id, secret }) {
      const connection = d.connections.require(id);
      if (secret) await d.gateway.provideSecret(id, secret);
      // Read-only: signs in and reads; creates and changes nothing in Vault.
      const result = await d.gateway.run(connection, 'Testing the connection', (vault) => vault.checkCapabilities());
      const seesOthers = result.checks.find((c) => c.id === 'all-tokens')?.status === 'yes';
      d.connectionsRepo.setVaultInfo(id, { vaultId: result.vault.id, vaultName: result.vault.name, loginUserId: result.user.id, ...(seesOthers ? { seesAllTokens: true } : {}) });
      d.audit.record({ action: 'connection.test', connectionId: id, connectionName: connection.name, detail: `signed in as ${result.user.username ?? result.user.id}` }, d.clock.now().toISOString());
      return {
        connectionId: id,
        user: { id: result.user.id, userName: result.user.username, displayName: result.user.displayName, timezone: result.user.timezone },
        vault: result.vault,
        apiVersion: result.apiVersion,
        burstLimitRemaining: result.burstLimitRemaining,
        seesAllTokens: d.connectionsRepo.vaultInfo(id).seesAllTokens === true,
        apiVersions: result.apiVersions,
        checks: result.checks,
      };
    },
    async unlockConnection({ id, secret }) {
      d.connections.require(id);
      await d.gateway.provideSecret(id, secret);
      return { unlocked: true as const };
    },
    connectionHealth: async () => d.connectionsRepo.health(),
  };
}
