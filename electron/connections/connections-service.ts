/**
 * Connections: the list of Vaults a user manages, and their remembered
 * secrets. Names are unique regardless of case; the SQLite UNIQUE constraint
 * is the final word, this check just gives the inline message first.
 */
import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { Connection } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { ConnectionCreate, ConnectionUpdate } from '../../shared/schemas';
import type { AuditRepo } from '../store/audit-repo';
import type { ConnectionsRepo } from './connections-repo';
import { accounts, type SecretStore } from '../secrets/secret-store';
import type { Logger } from '../log';
import type { Clock } from '../../shared/clock';

export interface ConnectionsDeps {
  connections: ConnectionsRepo;
  audit: AuditRepo;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
}

/** The keychain account that holds a connection's login secret, by auth method. */
export function loginSecretAccount(c: Pick<Connection, 'id' | 'authMethod'>): string | null {
  if (c.authMethod === 'password') return accounts.connectionPassword(c.id);
  if (c.authMethod === 'token') return accounts.connectionToken(c.id);
  if (c.authMethod === 'sso') return accounts.connectionOAuthRefresh(c.id);
  return null; // session ids live in memory only
}

export class ConnectionsService {
  constructor(private readonly deps: ConnectionsDeps) {}

  list(): Connection[] {
    return this.deps.connections.list();
  }

  require(id: string): Connection {
    const found = this.deps.connections.get(id);
    if (!found)
      throw new AppError(
        'NOT_FOUND',
        'That connection no longer exists. It may have been removed in another window or by the CLI.',
      );
    return found;
  }

  requireByName(name: string): Connection {
    const found = this.deps.connections.findByName(name);
    if (!found) throw new AppError('NOT_FOUND', `No connection is named “${name}”.`);
    return found;
  }

  private assertNameFree(name: string, exceptId?: string): void {
    const clash = this.deps.connections.findByName(name);
    if (clash && clash.id !== exceptId) {
      throw new AppError('CONFLICT', `A connection named “${clash.name}” already exists.`, {
        fields: { name: `A connection named “${clash.name}” already exists.` },
      });
    }
  }

  async create(input: z.output<typeof ConnectionCreate>): Promise<Connection> {
    this.assertNameFree(input.name);
    const id = randomUUID();
    const now = this.deps.clock.now().toISOString();
    const account = loginSecretAccount({ id, authMethod: input.authMethod });
    const remember = Boolean(input.rememberSecret && input.secret && account);
    // Keychain first: if it refuses, nothing is half-created.
    if (remember) await this.deps.secrets.set(account!, input.secret!);
    let created: Connection;
    try {
      created = this.deps.connections.insert(
        {
          id,
          name: input.name,
          dns: input.dns,
          apiVersion: input.apiVersion,
          username: input.username,
          authMethod: input.authMethod,
          clientId: input.clientId,
          secretStored: remember,
          loginHost: input.loginHost,
          idpClientId: input.idpClientId,
          client: input.client,
          environment: input.environment,
        },
        now,
      );
    } catch (error) {
      if (remember) await this.deps.secrets.delete(account!).catch(() => false);
      throw error;
    }
    this.deps.audit.record(
      {
        action: 'connection.create',
        connectionId: id,
        connectionName: input.name,
        detail: `${input.dns} as ${input.username}`,
      },
      now,
    );
    this.deps.logger.info('connection created', { connectionId: id });
    return created;
  }

  async update(input: z.output<typeof ConnectionUpdate>): Promise<Connection> {
    const current = this.require(input.id);
    this.assertNameFree(input.name, current.id);
    const now = this.deps.clock.now().toISOString();
    const oldAccount = loginSecretAccount(current);
    const newAccount = loginSecretAccount({ id: current.id, authMethod: input.authMethod });
    const whereOrWhoChanged =
      current.dns !== input.dns || current.username.toLowerCase() !== input.username.toLowerCase();
    // Single sign-on: a saved renewal belongs to one user, Vault and identity provider. Any change of
    // those forgets it (the person signs in again) instead of asking for a password there is none of.
    const ssoRenewalStays =
      current.authMethod === 'sso' &&
      input.authMethod === 'sso' &&
      !whereOrWhoChanged &&
      (current.loginHost ?? null) === (input.loginHost ?? null) &&
      (current.idpClientId ?? null) === (input.idpClientId ?? null) &&
      current.clientId === input.clientId;
    // A remembered secret is never sent to a different host or for a different user without being typed again.
    if (
      input.authMethod !== 'sso' &&
      whereOrWhoChanged &&
      current.secretStored &&
      input.rememberSecret &&
      !input.secret
    ) {
      throw new AppError(
        'VALIDATION',
        'The Vault DNS or user changed: enter the password again, so the stored one is not sent to the new Vault or user.',
        {
          fields: { secret: 'Enter it again for the new Vault DNS or user.' },
        },
      );
    }
    let secretStored =
      input.authMethod === 'sso'
        ? ssoRenewalStays && current.secretStored
        : Boolean(input.rememberSecret && current.secretStored && oldAccount === newAccount);
    const replaced = Boolean(input.rememberSecret && newAccount && input.secret);
    if (replaced) {
      await this.deps.secrets.set(newAccount!, input.secret!);
      secretStored = true;
    }
    // Forget the old secret when asked to, or when it no longer fits the auth method.
    const oldStillUsed = secretStored && oldAccount === newAccount;
    if (oldAccount && current.secretStored && !oldStillUsed) await this.deps.secrets.delete(oldAccount);
    if (!ssoRenewalStays && current.ssoProfile) this.deps.connections.setSsoProfile(current.id, null);
    // A new secret, a new place or user, or none at all: an old refusal no longer applies.
    if (current.secretRefused && (replaced || whereOrWhoChanged || !secretStored))
      this.deps.connections.setSecretStored(current.id, secretStored, now);
    const updated = this.deps.connections.update(
      {
        id: current.id,
        name: input.name,
        dns: input.dns,
        apiVersion: input.apiVersion,
        username: input.username,
        authMethod: input.authMethod,
        clientId: input.clientId,
        secretStored,
        loginHost: input.loginHost,
        idpClientId: input.idpClientId,
        client: input.client === undefined ? current.client : input.client,
        environment: input.environment === undefined ? current.environment : input.environment,
      },
      now,
    );
    if (
      current.dns !== updated.dns ||
      current.username.toLowerCase() !== updated.username.toLowerCase() ||
      current.authMethod !== updated.authMethod
    ) {
      this.deps.connections.resetVaultInfo(current.id);
    }
    this.deps.audit.record(
      {
        action: 'connection.update',
        connectionId: current.id,
        connectionName: updated.name,
        detail: describeChanges(current, updated),
      },
      now,
    );
    return updated;
  }

  /**
   * Saves (or replaces) the password or login token in the keychain, e.g. from the Unlock prompt's
   * "Replace the saved password": a refusal of the old one is cleared (issue 13, item 1).
   */
  async replaceSecret(id: string, secret: string): Promise<Connection> {
    const current = this.require(id);
    const account = loginSecretAccount(current);
    if (!account || current.authMethod === 'sso') {
      throw new AppError(
        'GUARD',
        `“${current.name}” has no secret to save: it signs in with ${current.authMethod === 'sso' ? 'single sign-on' : 'a session id, which is never saved'}.`,
      );
    }
    const now = this.deps.clock.now().toISOString();
    await this.deps.secrets.set(account, secret);
    this.deps.connections.setSecretStored(id, true, now);
    this.deps.audit.record(
      {
        action: 'connection.secret-replace',
        connectionId: id,
        connectionName: current.name,
        detail: current.secretRefused
          ? `replaced a saved ${current.authMethod === 'token' ? 'token' : 'password'} Vault had refused`
          : `saved the ${current.authMethod === 'token' ? 'token' : 'password'} in the keychain`,
      },
      now,
    );
    return this.require(id);
  }

  /** Removes the connection, its token rows, and every keychain item filed under it or its tokens. */
  async remove(id: string): Promise<void> {
    const current = this.require(id);
    const prefix = accounts.connectionPrefix(id);
    const tokenAccounts = new Set(
      this.deps.connections.storedTokenSecrets(id).map((t) => accounts.token(t.vaultId, t.tokenId)),
    );
    const owned = (await this.deps.secrets.list()).filter((a) => a.startsWith(prefix) || tokenAccounts.has(a));
    for (const account of owned) await this.deps.secrets.delete(account);
    const now = this.deps.clock.now().toISOString();
    this.deps.connections.remove(id);
    this.deps.audit.record(
      {
        action: 'connection.remove',
        connectionId: id,
        connectionName: current.name,
        detail: `${owned.length} keychain item(s) deleted`,
      },
      now,
    );
    this.deps.logger.info('connection removed', { connectionId: id, keychainItems: owned.length });
  }
}

function describeChanges(before: Connection, after: Connection): string {
  const keys: (keyof Connection)[] = [
    'name',
    'dns',
    'apiVersion',
    'username',
    'authMethod',
    'clientId',
    'secretStored',
    'loginHost',
    'idpClientId',
    'client',
    'environment',
  ];
  const changed = keys.filter((k) => before[k] !== after[k]);
  return changed.length ? `changed ${changed.join(', ')}` : 'no changes';
}
