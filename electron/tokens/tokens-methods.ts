/** The methods answering shared/contract/tokens.ts, over TokensService and SyncService. */
import type { MethodsFor } from '../../shared/contract';
import type { tokensContract } from '../../shared/contract/tokens';
import type { EventEmitterFn } from '../app/events';
import type { TokensRepo } from './tokens-repo';
import type { Clock } from '../../shared/clock';
import type { SyncService } from './sync-service';
import type { TokensService } from './tokens-service';
import type { GenerateMany } from './generate-many';

export interface TokensMethodsDeps {
  tokens: TokensService;
  sync: SyncService;
  generateMany: GenerateMany;
  tokensRepo: TokensRepo;
  clock: Clock;
  emit: EventEmitterFn;
  expiringSoonDays: () => number;
  /** Settings' "stale after" days: what a query's `stale` means unless it says (shared/nudges.ts). */
  staleAfterDays: () => number;
}

export function tokensMethods(d: TokensMethodsDeps): MethodsFor<typeof tokensContract> {
  const changed = <T>(reason: string, value: T): T => {
    d.emit('tokens:changed', { reason });
    return value;
  };
  return {
    queryTokens: async (q) =>
      d.tokensRepo.query(
        { ...q, staleAfterDays: q.staleAfterDays ?? d.staleAfterDays() },
        d.clock.now(),
        d.expiringSoonDays(),
      ),
    generateToken: async (req) => changed('generate', await d.tokens.generate(req)),
    generateMany: async (req) => {
      const outcomes = await d.generateMany.run(req);
      return req.checkOnly ? outcomes : changed('generate', outcomes);
    },
    revealToken: ({ rowId }) => d.tokens.reveal(rowId),
    copyToken: ({ rowId }) => d.tokens.copy(rowId),
    confirmTokenSaved: async ({ rowId }) => d.tokens.confirmSaved(rowId),
    revokeTokens: async ({ rowIds }) => changed('revoke', await d.tokens.revoke(rowIds)),
    rotateToken: async ({ rowId, expiry }) => changed('rotate', await d.tokens.rotate(rowId, expiry)),
    completeRotation: async ({ oldRowId, newRowId }) =>
      changed('rotate', await d.tokens.completeRotation(oldRowId, newRowId)),
    syncTokens: async ({ connectionIds }) => changed('sync', await d.sync.syncAll(connectionIds)),
    clearRevoked: async ({ rowIds }) => changed('clear', await d.tokens.clearRevoked(rowIds)),
    exportTokens: async (req) =>
      d.tokens.exportTokens(
        req.query
          ? { ...req, query: { ...req.query, staleAfterDays: req.query.staleAfterDays ?? d.staleAfterDays() } }
          : req,
      ),
    importTokens: async ({ content, fileName }) =>
      changed(
        'import',
        await d.tokens.importTokens(content, fileName, (progress) => d.emit('import:progress', progress)),
      ),
    clearImported: async () => changed('clear', d.tokens.clearImported()),
    searchUsers: ({ connectionId, search }) => d.tokens.searchUsers(connectionId, search),
  };
}
