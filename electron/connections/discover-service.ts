/**
 * Discover and add (issue 15, item 1): a password or single sign-on login tells which Vaults it reaches
 * (`vaultIds`, docs/vault-api.md §3.2). This lists them, marking the connection's own and those already
 * added, and adds the chosen ones with the same user and the same saved sign-in (shared/signin-accounts.ts),
 * so one login reaching 12 Vaults becomes 12 synced connections in one step. Shared by the app and the CLI.
 */
import type { AddReachableOutcome } from '../../shared/contract/discover';
import type { ConnectionTestResult, ReachableVaultInfo } from '../../shared/contract/connections';
import type { Connection } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import { ConnectionCreate } from '../../shared/schemas';
import type { SyncOutcome } from '../../shared/tokens';
import type { Clock } from '../../shared/clock';
import type { AuditRepo } from '../store/audit-repo';
import type { ConnectionsRepo } from './connections-repo';
import type { ConnectionsService } from './connections-service';
import type { VaultGateway } from './vault-gateway';

export interface DiscoverDeps {
  connections: ConnectionsService;
  connectionsRepo: ConnectionsRepo;
  gateway: VaultGateway;
  audit: AuditRepo;
  clock: Clock;
  /** Syncs these connections (the sync service: parallel across Vaults). */
  sync: (connectionIds: string[]) => Promise<SyncOutcome[]>;
}

const sameDns = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

/** The read-only capability check (connections:test), recording what it learnt about the Vault. */
export async function testAndRecord(
  deps: Pick<DiscoverDeps, 'gateway' | 'connectionsRepo' | 'audit' | 'clock'>,
  connection: Connection,
): Promise<ConnectionTestResult> {
  const id = connection.id;
  // Read-only: signs in and reads; creates and changes nothing in Vault.
  const result = await deps.gateway.run(connection, 'Testing the connection', (vault) => vault.checkCapabilities());
  const seesOthers = result.checks.find((c) => c.id === 'all-tokens')?.status === 'yes';
  deps.connectionsRepo.setVaultInfo(id, {
    vaultId: result.vault.id,
    vaultName: result.vault.name,
    loginUserId: result.user.id,
    ...(seesOthers ? { seesAllTokens: true } : {}),
  });
  deps.audit.record(
    {
      action: 'connection.test',
      connectionId: id,
      connectionName: connection.name,
      detail: `signed in as ${result.user.username ?? result.user.id}`,
    },
    deps.clock.now().toISOString(),
  );
  return {
    connectionId: id,
    user: {
      id: result.user.id,
      userName: result.user.username,
      displayName: result.user.displayName,
      timezone: result.user.timezone,
    },
    vault: result.vault,
    apiVersion: result.apiVersion,
    burstLimitRemaining: result.burstLimitRemaining,
    seesAllTokens: deps.connectionsRepo.vaultInfo(id).seesAllTokens === true,
    apiVersions: result.apiVersions,
    checks: result.checks,
  };
}

export class DiscoverService {
  constructor(private readonly deps: DiscoverDeps) {}

  /** The Vaults this connection's login reaches; signs in when there is no session yet. */
  async reachable(id: string): Promise<ReachableVaultInfo[]> {
    const connection = this.deps.connections.require(id);
    // identity() signs in when there is no session yet; the login's vaultIds come with it (§3.2).
    const vaults = await this.deps.gateway.run(connection, 'Listing the Vaults this login reaches', async (vault) => {
      await vault.identity();
      return vault.reachableVaults();
    });
    const byDns = new Map(this.deps.connections.list().map((c) => [c.dns.toLowerCase(), c.id]));
    return vaults.map((v) => ({
      vaultId: v.id,
      name: v.name,
      dns: v.dns,
      self: sameDns(v.dns, connection.dns),
      connectionId: byDns.get(v.dns.toLowerCase()) ?? null,
    }));
  }

  /**
   * Adds the chosen Vaults (by Vault id) with the source connection's user and sign-in, then tests and
   * syncs each new one. A Vault already added is reported, not added twice; one failure stops no other.
   */
  async addReachable(
    id: string,
    vaultIds: readonly number[],
    options: { client?: string | null } = {},
  ): Promise<AddReachableOutcome[]> {
    const source = this.deps.connections.require(id);
    // The new connections join the source's client group unless asked otherwise. The environment is
    // never guessed from a Vault's name (shared/connection-groups.ts): it stays empty until set.
    const client = options.client !== undefined ? options.client : source.client;
    if (source.authMethod === 'token' || source.authMethod === 'session') {
      throw new AppError(
        'GUARD',
        `“${source.name}” signs in with ${source.authMethod === 'token' ? 'an API access token, which belongs to one Vault' : 'a session id'}: Vault lists no other Vaults for it. Use a password or single sign-on connection.`,
      );
    }
    const reachable = new Map((await this.reachable(id)).map((v) => [v.vaultId, v]));
    const outcomes: AddReachableOutcome[] = [];
    for (const vaultId of new Set(vaultIds)) {
      const v = reachable.get(vaultId);
      const base = { vaultId, name: v?.name ?? null, dns: v?.dns ?? null, tested: false, synced: false, tokens: 0 };
      if (!v) {
        outcomes.push({
          ...base,
          status: 'failed',
          connectionId: null,
          connectionName: null,
          message: `This login does not reach a Vault with id ${vaultId}.`,
        });
      } else if (v.connectionId) {
        const existing = this.deps.connections.require(v.connectionId);
        outcomes.push({
          ...base,
          status: 'already-added',
          connectionId: existing.id,
          connectionName: existing.name,
          message: null,
        });
      } else {
        outcomes.push(await this.addOne(source, v, base, client));
      }
    }
    const added = outcomes.filter((o) => o.status === 'added' && o.connectionId);
    // Test every new connection (each signs in with the shared sign-in), then sync the ones that passed.
    await Promise.all(
      added.map(async (o) => {
        try {
          await testAndRecord(this.deps, this.deps.connections.require(o.connectionId!));
          o.tested = true;
        } catch (error) {
          o.message = error instanceof Error ? error.message : String(error);
        }
      }),
    );
    // The source too, when it was never synced: from an empty app, one dialog ends with every Vault synced.
    const self = [...reachable.values()].find((v) => v.self);
    const sourceNeverSynced =
      self !== undefined &&
      this.deps.connectionsRepo.health().find((h) => h.connectionId === source.id)?.lastSyncedAt === null;
    const selfOutcome: AddReachableOutcome | null = sourceNeverSynced
      ? {
          vaultId: self.vaultId,
          name: self.name,
          dns: self.dns,
          status: 'already-added',
          connectionId: source.id,
          connectionName: source.name,
          tested: false,
          synced: false,
          tokens: 0,
          message: null,
        }
      : null;
    const syncing = [...added.filter((o) => o.tested), ...(selfOutcome ? [selfOutcome] : [])];
    if (syncing.length) {
      const synced = new Map(
        (await this.deps.sync(syncing.map((o) => o.connectionId!))).map((s) => [s.connectionId, s]),
      );
      for (const o of syncing) {
        const s = synced.get(o.connectionId!);
        if (!s) continue;
        o.synced = s.ok;
        o.tokens = s.total;
        if (!s.ok) o.message = s.message;
      }
    }
    if (selfOutcome) outcomes.push(selfOutcome);
    this.deps.audit.record(
      {
        action: 'connection.add-reachable',
        connectionId: source.id,
        connectionName: source.name,
        detail: `${added.length} of ${outcomes.length} Vault(s) added with the same sign-in; ${added.filter((o) => o.synced).length} synced`,
      },
      this.deps.clock.now().toISOString(),
    );
    return outcomes;
  }

  private async addOne(
    source: Connection,
    v: ReachableVaultInfo,
    base: Pick<AddReachableOutcome, 'vaultId' | 'name' | 'dns' | 'tested' | 'synced' | 'tokens'>,
    client: string | null,
  ): Promise<AddReachableOutcome> {
    try {
      const created = await this.deps.connections.create(
        ConnectionCreate.parse({
          name: this.freeName(v),
          dns: v.dns,
          apiVersion: source.apiVersion,
          username: source.username,
          authMethod: source.authMethod,
          clientId: source.clientId,
          rememberSecret: false,
          loginHost: source.loginHost,
          idpClientId: source.idpClientId,
          client,
        }),
        { inheritSignIn: true },
      );
      // A password typed for this run only (not saved) signs the new ones in too.
      await this.deps.gateway.shareTransientSecret(source.id, created.id);
      return { ...base, status: 'added', connectionId: created.id, connectionName: created.name, message: null };
    } catch (error) {
      return {
        ...base,
        status: 'failed',
        connectionId: null,
        connectionName: null,
        message: error instanceof Error ? error.message : String(error),
      };
    }
  }

  /** The Vault's name, or with its DNS when a connection already has that name. */
  private freeName(v: ReachableVaultInfo): string {
    const name = (v.name ?? v.dns).slice(0, 80);
    const taken = (n: string) => this.deps.connectionsRepo.findByName(n) !== null;
    if (!taken(name)) return name;
    const withDns = `${name.slice(0, 60)} (${v.dns})`.slice(0, 80);
    if (!taken(withDns)) return withDns;
    for (let i = 2; ; i++) if (!taken(`${name} ${i}`)) return `${name} ${i}`;
  }
}
