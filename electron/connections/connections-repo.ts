import type { AuthMethod, Connection, ConnectionEnvironment } from '../../shared/domain';
import type { ConnectionHealth } from '../../shared/tokens';
import type { Db } from '../store/database';
import { matchesGroup, type GroupFilter } from '../../shared/connection-groups';
import { statementCache, type PreparedStatement } from '../store/statements';

interface ConnectionRow {
  id: string;
  name: string;
  dns: string;
  api_version: string;
  username: string;
  auth_method: AuthMethod;
  client_id: string;
  secret_stored: number;
  created_at: string;
  updated_at: string;
  vault_id: number | null;
  vault_name: string | null;
  login_user_id: string | null;
  last_synced_at: string | null;
  last_sync_error: string | null;
  last_checked_at: string | null;
  reachable: number | null;
  sees_all_tokens: number | null;
  login_host: string | null;
  idp_client_id: string | null;
  sso_profile_id: string | null;
  sso_profile_label: string | null;
  secret_refused_at: string | null;
  secret_refused_type: string | null;
  client: string | null;
  environment: ConnectionEnvironment | null;
}

export type NewConnection = Omit<
  Connection,
  'createdAt' | 'updatedAt' | 'ssoProfile' | 'loginHost' | 'idpClientId' | 'secretRefused' | 'client' | 'environment'
> &
  Partial<Pick<Connection, 'loginHost' | 'idpClientId' | 'client' | 'environment'>>;

function columns(c: NewConnection): Record<string, unknown> {
  return {
    ...c,
    secretStored: c.secretStored ? 1 : 0,
    loginHost: c.loginHost ?? null,
    idpClientId: c.idpClientId ?? null,
    client: c.client ?? null,
    environment: c.environment ?? null,
  };
}

function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    name: row.name,
    dns: row.dns,
    apiVersion: row.api_version,
    username: row.username,
    authMethod: row.auth_method,
    clientId: row.client_id,
    client: row.client,
    environment: row.environment,
    secretStored: row.secret_stored === 1,
    loginHost: row.login_host,
    idpClientId: row.idp_client_id,
    ssoProfile:
      row.sso_profile_id === null
        ? null
        : { id: row.sso_profile_id, label: row.sso_profile_label ?? row.sso_profile_id },
    secretRefused:
      row.secret_refused_at === null ? null : { at: row.secret_refused_at, vaultErrorType: row.secret_refused_type },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export class ConnectionsRepo {
  private readonly stmt: (sql: string) => PreparedStatement;

  private readonly inTransaction: (work: () => void) => void;

  constructor(private readonly db: Db) {
    this.stmt = statementCache(db);
    this.inTransaction = (work) => db.transaction(work)();
  }

  list(): Connection[] {
    const rows = this.stmt('SELECT * FROM connections ORDER BY name COLLATE NOCASE').all() as ConnectionRow[];
    return rows.map(toConnection);
  }

  get(id: string): Connection | null {
    const row = this.stmt('SELECT * FROM connections WHERE id = ?').get(id) as ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  findByName(name: string): Connection | null {
    const row = this.stmt('SELECT * FROM connections WHERE name = ? COLLATE NOCASE').get(name.trim()) as
      ConnectionRow | undefined;
    return row ? toConnection(row) : null;
  }

  insert(c: NewConnection, now: string): Connection {
    this.stmt(
      `INSERT INTO connections (id, name, dns, api_version, username, auth_method, client_id, secret_stored,
           login_host, idp_client_id, client, environment, created_at, updated_at)
         VALUES (@id, @name, @dns, @apiVersion, @username, @authMethod, @clientId, @secretStored,
           @loginHost, @idpClientId, @client, @environment, @now, @now)`,
    ).run({ ...columns(c), now });
    return this.get(c.id)!;
  }

  update(c: NewConnection, now: string): Connection {
    this.stmt(
      `UPDATE connections SET name = @name, dns = @dns, api_version = @apiVersion, username = @username,
           auth_method = @authMethod, client_id = @clientId, secret_stored = @secretStored,
           login_host = @loginHost, idp_client_id = @idpClientId, client = @client, environment = @environment,
           updated_at = @now
         WHERE id = @id`,
    ).run({ ...columns(c), now });
    return this.get(c.id)!;
  }

  /** Ids of the connections in these client groups (shared/connection-groups.ts: clients without case, '' = none). */
  idsInGroups(filter: GroupFilter): string[] {
    return this.list()
      .filter((c) => matchesGroup(c, filter))
      .map((c) => c.id);
  }

  /** Several new connections at once, all or none (CSV import). */
  insertAll(connections: NewConnection[], now: string): Connection[] {
    return this.db.transaction(() => connections.map((c) => this.insert(c, now)))();
  }

  /** A new secret (or none) was stored: any refusal of the old one no longer applies. */
  setSecretStored(id: string, stored: boolean, now: string): void {
    this.setSecretStoredFor([id], stored, now);
  }

  /** The same for every connection sharing one saved sign-in (signin-accounts.ts), in one transaction. */
  setSecretStoredFor(ids: readonly string[], stored: boolean, now: string): void {
    const update = this.stmt(
      'UPDATE connections SET secret_stored = ?, secret_refused_at = NULL, secret_refused_type = NULL, updated_at = ? WHERE id = ?',
    );
    this.inTransaction(() => {
      for (const id of ids) update.run(stored ? 1 : 0, now, id);
    });
  }

  /** Vault refused the saved secret: it is not sent again until replaced (issue 13, item 1). */
  markSecretRefused(id: string, at: string, vaultErrorType: string | null): void {
    this.markSecretRefusedFor([id], at, vaultErrorType);
  }

  /** A shared sign-in Vault refused is refused for every connection that uses it (issue 15, item 2). */
  markSecretRefusedFor(ids: readonly string[], at: string, vaultErrorType: string | null): void {
    const update = this.stmt('UPDATE connections SET secret_refused_at = ?, secret_refused_type = ? WHERE id = ?');
    this.inTransaction(() => {
      for (const id of ids) update.run(at, vaultErrorType, id);
    });
  }

  /** The OAuth profile that signed in last (discovery's id and label, docs/vault-api.md §3.5); null forgets it. */
  setSsoProfile(id: string, profile: { id: string; label: string } | null): void {
    this.stmt('UPDATE connections SET sso_profile_id = ?, sso_profile_label = ? WHERE id = ?').run(
      profile?.id ?? null,
      profile?.label ?? null,
      id,
    );
  }

  setHealth(id: string, health: { reachable: boolean; checkedAt: string }): void {
    this.stmt('UPDATE connections SET reachable = ?, last_checked_at = ? WHERE id = ?').run(
      health.reachable ? 1 : 0,
      health.checkedAt,
      id,
    );
  }

  /** What a login told us about the Vault behind this connection. */
  setVaultInfo(
    id: string,
    info: {
      vaultId?: number | null;
      vaultName?: string | null;
      loginUserId?: string | null;
      seesAllTokens?: boolean | null;
    },
  ): void {
    const seesAll = info.seesAllTokens === undefined || info.seesAllTokens === null ? null : info.seesAllTokens ? 1 : 0;
    this.stmt(
      `UPDATE connections SET vault_id = COALESCE(?, vault_id), vault_name = COALESCE(?, vault_name),
           login_user_id = COALESCE(?, login_user_id), sees_all_tokens = COALESCE(?, sees_all_tokens) WHERE id = ?`,
    ).run(info.vaultId ?? null, info.vaultName ?? null, info.loginUserId ?? null, seesAll, id);
  }

  vaultInfo(id: string): {
    vaultId: number | null;
    vaultName: string | null;
    loginUserId: string | null;
    seesAllTokens: boolean | null;
  } {
    const r = this.stmt(
      'SELECT vault_id, vault_name, login_user_id, sees_all_tokens FROM connections WHERE id = ?',
    ).get(id) as Pick<ConnectionRow, 'vault_id' | 'vault_name' | 'login_user_id' | 'sees_all_tokens'> | undefined;
    return {
      vaultId: r?.vault_id ?? null,
      vaultName: r?.vault_name ?? null,
      loginUserId: r?.login_user_id ?? null,
      seesAllTokens: r?.sees_all_tokens === null || r?.sees_all_tokens === undefined ? null : r.sees_all_tokens === 1,
    };
  }

  /** Forgets what logins told us (Vault, login user, visibility): after a change of DNS, user or sign-in method it may be wrong. */
  resetVaultInfo(id: string): void {
    this.stmt(
      'UPDATE connections SET vault_id = NULL, vault_name = NULL, login_user_id = NULL, sees_all_tokens = NULL, reachable = NULL WHERE id = ?',
    ).run(id);
  }

  setSyncResult(id: string, result: { at: string; error: string | null }): void {
    if (result.error) this.stmt('UPDATE connections SET last_sync_error = ? WHERE id = ?').run(result.error, id);
    else this.stmt('UPDATE connections SET last_synced_at = ?, last_sync_error = NULL WHERE id = ?').run(result.at, id);
  }

  health(): ConnectionHealth[] {
    const rows = this.stmt('SELECT * FROM connections ORDER BY name COLLATE NOCASE').all() as ConnectionRow[];
    return rows.map((r) => ({
      connectionId: r.id,
      loginUserId: r.login_user_id,
      vaultId: r.vault_id,
      vaultName: r.vault_name,
      lastSyncedAt: r.last_synced_at,
      lastSyncError: r.last_sync_error,
      lastCheckedAt: r.last_checked_at,
      reachable: r.reachable === null ? null : r.reachable === 1,
      seesAllTokens: r.sees_all_tokens === null ? null : r.sees_all_tokens === 1,
    }));
  }

  /** Vault id and token id of this connection's tokens whose values are in the keychain. */
  storedTokenSecrets(id: string): { vaultId: number; tokenId: string }[] {
    return this.stmt(
      'SELECT vault_id AS vaultId, token_id AS tokenId FROM tokens WHERE connection_id = ? AND secret_stored = 1 AND vault_id IS NOT NULL',
    ).all(id) as {
      vaultId: number;
      tokenId: string;
    }[];
  }

  remove(id: string): boolean {
    return this.stmt('DELETE FROM connections WHERE id = ?').run(id).changes > 0;
  }
}
