/**
 * Sync: per connection, VQL over api_access_token__sys following every page
 * (docs/vault-api.md §2), then reconcile with the local inventory.
 *
 * Vault's rate limits are per Vault (§5.3), so different Vaults sync in
 * parallel (up to 128 at once) while requests to one Vault stay serial:
 * connections are grouped by DNS and each group runs one connection at a
 * time. One failing or slow connection never blocks or fails the others.
 * When a Vault reports its burst budget nearly spent, the next request to it
 * waits (the response delay Vault announced, or a short pause).
 */
import type { Connection } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { SyncOutcome, SyncProgress } from '../../shared/tokens';
import type { AuditRepo } from '../store/audit-repo';
import type { ConnectionsRepo } from '../connections/connections-repo';
import type { TokensRepo } from './tokens-repo';
import { accounts, type SecretStore } from '../secrets/secret-store';
import type { Logger } from '../log';
import type { Clock } from '../../shared/clock';
import type { ConnectionsService } from '../connections/connections-service';
import { planSync, type LocalTokenState } from './reconcile';
import type { VaultTokenRow } from '../vault/types';
import type { VaultGateway } from '../connections/vault-gateway';
import { pauseIfBurstLow, type BurstSnapshot } from '../vault/burst-pause';

/**
 * Vaults synced at once. Each is a different host with limits of its own (§5.3), so the only costs of
 * more are sockets and memory; at 32, 200 Vaults took 7 rounds of sign-in and listing (issue 14).
 */
export const DEFAULT_SYNC_CONCURRENCY = 128;

export interface SyncDeps {
  connections: ConnectionsService;
  connectionsRepo: ConnectionsRepo;
  tokens: TokensRepo;
  secrets: SecretStore;
  audit: AuditRepo;
  gateway: VaultGateway;
  clock: Clock;
  logger: Logger;
  onProgress: (progress: SyncProgress) => void;
  /** After a whole sync run (not per connection): e.g. reminders re-check what is due, once. */
  onFinished?: (outcomes: SyncOutcome[]) => void;
  concurrency?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** What connections synced in one run share, so that each costs the keychain and Vault once. */
class SyncRun {
  private accounts: Promise<Set<string>> | null = null;
  constructor(private readonly secrets: SecretStore) {}
  /** The keychain's account names, listed once per run and only if some connection needs them. */
  keychainAccounts(): Promise<Set<string>> {
    this.accounts ??= this.secrets.list().then((names) => new Set(names));
    return this.accounts;
  }
}

export class SyncService {
  private running: Promise<SyncOutcome[]> | null = null;
  /** One sync per connection at a time: a second request joins the one in flight. */
  private readonly inFlight = new Map<string, Promise<SyncOutcome>>();

  constructor(private readonly deps: SyncDeps) {}

  /** Syncs the given connections (all when omitted). A second call while one runs joins it. */
  syncAll(connectionIds?: string[]): Promise<SyncOutcome[]> {
    if (this.running && !connectionIds) return this.running;
    const run = this.run(connectionIds).finally(() => {
      if (this.running === run) this.running = null;
    });
    if (!connectionIds) this.running = run;
    return run;
  }

  private async run(connectionIds?: string[]): Promise<SyncOutcome[]> {
    const all = this.deps.connections.list();
    const chosen = connectionIds ? connectionIds.map((id) => this.deps.connections.require(id)) : all;
    for (const c of chosen)
      this.deps.onProgress({ connectionId: c.id, phase: 'queued', pages: 0, tokens: 0, message: null });
    // Every stored password at once: one keychain search instead of one D-Bus round trip (and, on
    // Linux, one new Secret Service connection) per connection (issue 14: keychain cost).
    await this.deps.gateway.prefetchSecrets(chosen);
    const run = new SyncRun(this.deps.secrets);

    // One lane per Vault host: serial inside, parallel across.
    const lanes = new Map<string, Connection[]>();
    for (const c of chosen) lanes.set(c.dns, [...(lanes.get(c.dns) ?? []), c]);
    const queue = [...lanes.values()];
    const outcomes = new Map<string, SyncOutcome>();
    const workers = Array.from(
      { length: Math.min(this.deps.concurrency ?? DEFAULT_SYNC_CONCURRENCY, queue.length) },
      async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) {
          for (const connection of lane) outcomes.set(connection.id, await this.syncOne(connection, run));
        }
      },
    );
    await Promise.all(workers);
    const result = chosen.map((c) => outcomes.get(c.id)!);
    this.deps.onFinished?.(result);
    const failed = result.filter((o) => !o.ok).length;
    this.deps.audit.record(
      {
        action: 'tokens.sync',
        detail: `${result.length - failed} of ${result.length} connection(s) synced${failed ? `, ${failed} failed` : ''}`,
      },
      this.deps.clock.now().toISOString(),
    );
    return result;
  }

  syncOne(connection: Connection, run: SyncRun = new SyncRun(this.deps.secrets)): Promise<SyncOutcome> {
    const current = this.inFlight.get(connection.id);
    if (current) return current;
    const syncing = this.syncConnection(connection, run).finally(() => this.inFlight.delete(connection.id));
    this.inFlight.set(connection.id, syncing);
    return syncing;
  }

  private async syncConnection(connection: Connection, run: SyncRun): Promise<SyncOutcome> {
    const started = Date.now();
    let listedAt = '';
    let pages = 0;
    let seen = 0;
    const progress = (phase: SyncProgress['phase'], message: string | null = null) =>
      this.deps.onProgress({ connectionId: connection.id, phase, pages, tokens: seen, message });
    progress('running');
    try {
      const { remote, loginUserId } = await this.deps.gateway.run(connection, 'Syncing tokens', async (vault) => {
        let info = this.deps.connectionsRepo.vaultInfo(connection.id);
        if (info.vaultId === null || !info.loginUserId) {
          // From the sign-in's own answer where there is one: no extra request (issue 14).
          const who = await vault.identity();
          this.deps.connectionsRepo.setVaultInfo(connection.id, {
            vaultId: who.vault.id,
            vaultName: who.vault.name,
            loginUserId: who.userId,
          });
          info = this.deps.connectionsRepo.vaultInfo(connection.id);
        }
        await this.respectBurstLimit(vault.limits());
        listedAt = this.deps.clock.now().toISOString();
        const rows = await vault.listTokens({
          onPage: (pageRows: unknown[]) => {
            pages += 1;
            seen += pageRows.length;
            progress('running');
          },
        });
        return { remote: rows, loginUserId: info.loginUserId! };
      });
      const known = this.deps.connectionsRepo.vaultInfo(connection.id);
      if (known.vaultId !== null) await this.adoptSandboxTokens(connection, known.vaultId);
      // A login that has ever seen another user's token can see everyone's; the flag is sticky.
      const seesAllTokens =
        known.seesAllTokens === true || remote.some((r) => r.userId !== null && r.userId !== loginUserId);
      if (seesAllTokens !== known.seesAllTokens)
        this.deps.connectionsRepo.setVaultInfo(connection.id, { seesAllTokens });
      const local = this.deps.tokens.localStateForConnection(connection.id);
      // Names first, so that new rows are written once, with their owner's name.
      const userNames = await this.userNamesToFill(connection, local, remote);
      const syncedAt = this.deps.clock.now().toISOString();
      const plan = planSync(local, remote, {
        seesAllTokens,
        loginUserId,
        syncedAt,
        listedAt,
        vaultId: known.vaultId,
      });
      this.deps.tokens.applySync(
        {
          id: connection.id,
          name: connection.name,
          dns: connection.dns,
          vaultId: known.vaultId,
          ...(userNames ? { userNames } : {}),
        },
        plan,
        syncedAt,
      );
      if (known.vaultId !== null && plan.inserts.length > 0)
        await this.markValuesAlreadyStored(
          connection,
          known.vaultId,
          plan.inserts.map((i) => i.tokenId),
          syncedAt,
          run,
        );
      this.deps.connectionsRepo.setSyncResult(connection.id, { at: syncedAt, error: null });
      const outcome: SyncOutcome = {
        connectionId: connection.id,
        connectionName: connection.name,
        ok: true,
        errorCode: null,
        added: plan.inserts.length,
        updated: plan.updates.length,
        revoked: plan.revokes.length,
        total: remote.length,
        message: null,
        durationMs: Date.now() - started,
      };
      progress('done', `${remote.length} token(s): ${outcome.added} new, ${outcome.revoked} revoked`);
      return outcome;
    } catch (error) {
      const message = error instanceof AppError ? error.message : 'Sync failed unexpectedly; see the log.';
      const errorCode = error instanceof AppError ? (error.fields?.secret ? 'NEEDS_SECRET' : error.code) : 'INTERNAL';
      if (!(error instanceof AppError))
        this.deps.logger.error('sync failed', { connectionId: connection.id, error: String(error) });
      this.deps.connectionsRepo.setSyncResult(connection.id, {
        at: this.deps.clock.now().toISOString(),
        error: message,
      });
      progress('failed', message);
      return {
        connectionId: connection.id,
        connectionName: connection.name,
        ok: false,
        errorCode,
        added: 0,
        updated: 0,
        revoked: 0,
        total: 0,
        message,
        durationMs: Date.now() - started,
      };
    }
  }

  /**
   * A token generated here whose value reached the keychain but whose row never did (the process
   * died between the two, or the insert failed: TokensService.generate writes the keychain first)
   * comes back with the next sync as a token seen for the first time. Its value is still under
   * `token/<vault id>/<token id>`: mark the new row as stored, so that reveal and copy find it.
   * One listing of account names per sync run, only when a sync added tokens. A keychain that cannot be
   * listed leaves the rows as they are and never fails the sync.
   */
  private async markValuesAlreadyStored(
    connection: Connection,
    vaultId: number,
    tokenIds: readonly string[],
    at: string,
    run: SyncRun,
  ): Promise<void> {
    let stored: Set<string>;
    try {
      stored = await run.keychainAccounts();
    } catch (error) {
      this.deps.logger.warn('could not list the keychain to find values of newly synced tokens', {
        connectionId: connection.id,
        error: String(error),
      });
      return;
    }
    const now = this.deps.clock.now();
    for (const tokenId of tokenIds) {
      if (!stored.has(accounts.token(vaultId, tokenId))) continue;
      const row = this.deps.tokens.getByTokenId(connection.id, tokenId, now);
      if (!row || row.secretStored || row.readOnly || row.sandboxName) continue;
      this.deps.tokens.setSecretStored(row.rowId, true, at);
      this.deps.audit.record(
        {
          action: 'token.value-found',
          connectionId: connection.id,
          connectionName: connection.name,
          tokenId,
          detail: 'first seen by a sync; its value was already in the OS keychain',
        },
        at,
      );
      this.deps.logger.info('synced token has a stored value', { connectionId: connection.id, tokenId });
    }
  }

  /**
   * Sandbox tokens belong to the sandbox Vault (docs/vault-api.md §1.4). One minted through the
   * parent before the sandbox had a connection of its own moves under that connection here,
   * with its keychain value: copied, read back, and only then removed from the old account.
   */
  private async adoptSandboxTokens(connection: Connection, vaultId: number): Promise<void> {
    const at = this.deps.clock.now().toISOString();
    for (const row of this.deps.tokens.sandboxRowsOfVault(vaultId, connection.id)) {
      const from = accounts.sandboxToken(row.connectionId, row.sandboxName, row.tokenId);
      const to = accounts.token(vaultId, row.tokenId);
      try {
        const value = row.secretStored ? await this.deps.secrets.get(from) : null;
        if (value) {
          await this.deps.secrets.set(to, value);
          if ((await this.deps.secrets.get(to)) !== value) continue;
        }
        if (!this.deps.tokens.adoptSandboxRow(row.rowId, connection, at)) continue;
        if (value) await this.deps.secrets.delete(from);
        this.deps.logger.info('sandbox token filed under its own connection', {
          connectionId: connection.id,
          tokenId: row.tokenId,
        });
      } catch (error) {
        this.deps.logger.warn('could not move a sandbox token to its own connection', {
          connectionId: connection.id,
          tokenId: row.tokenId,
          error: String(error),
        });
      }
    }
  }

  /**
   * Token records carry only a user id; names come from the Vault's user list (docs/vault-api.md
   * §4): one request, and only when a listed owner has no name here yet (a user seen before costs
   * nothing, issue 14). A failure here never fails the sync: the rows keep their ids.
   */
  private async userNamesToFill(
    connection: Connection,
    local: readonly LocalTokenState[],
    remote: readonly VaultTokenRow[],
  ): Promise<Record<string, string> | null> {
    const known = new Set(local.map((r) => r.userId));
    const unnamed = new Set(this.deps.tokens.userIdsWithoutNames(connection.id));
    const wanted = new Set(
      remote.flatMap((r) => (r.userId !== null && (!known.has(r.userId) || unnamed.has(r.userId)) ? [r.userId] : [])),
    );
    if (wanted.size === 0) return null;
    try {
      const users = await this.deps.gateway.run(connection, 'Reading user names', (vault) =>
        vault.listUsers({ limit: 1000, includeSystemUsers: true }),
      );
      const names: Record<string, string> = {};
      for (const u of users) if (wanted.has(u.id)) names[u.id] = u.username ?? u.displayName;
      return names;
    } catch (error) {
      this.deps.logger.warn('could not read user names', { connectionId: connection.id, error: String(error) });
      return null;
    }
  }

  private respectBurstLimit(limits: BurstSnapshot): Promise<void> {
    return pauseIfBurstLow(limits, this.deps.logger, this.deps.sleep);
  }
}
