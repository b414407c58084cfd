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
import { signInAccount, signInUsers } from '../../shared/signin-accounts';
import type { Logger } from '../log';
import type { Clock } from '../../shared/clock';

export interface ConnectionsDeps {
  connections: ConnectionsRepo;
  audit: AuditRepo;
  secrets: SecretStore;
  clock: Clock;
  logger: Logger;
  /** The one-time move to shared sign-in items (signin-migration.ts), awaited before any is touched. */
  signInLayout?: { ensure(): Promise<void> };
}

/** The keychain account that holds a connection's login secret: one per account, shared (signin-accounts.ts). */
export function loginSecretAccount(c: Pick<Connection, 'authMethod' | 'dns' | 'username'>): string | null {
  return signInAccount(c); // null for session ids: they live in memory only
}

export interface CreateOptions {
  /** Use the saved sign-in this user already has on this Vault domain (adding the Vaults a login reaches). */
  inheritSignIn?: boolean;
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

  /** The other connections that use the saved sign-in these fields name (signin-accounts.ts). */
  signInUsers(c: Pick<Connection, 'authMethod' | 'dns' | 'username'>, exceptId?: string): Connection[] {
    return signInUsers(this.deps.connections.list(), c).filter((u) => u.id !== exceptId);
  }

  async create(input: z.output<typeof ConnectionCreate>, options: CreateOptions = {}): Promise<Connection> {
    this.assertNameFree(input.name);
    await this.deps.signInLayout?.ensure();
    const id = randomUUID();
    const now = this.deps.clock.now().toISOString();
    const account = loginSecretAccount(input);
    const remember = Boolean(input.rememberSecret && input.secret && account);
    const sharing = account ? this.signInUsers(input) : [];
    const inherit = !remember && Boolean(options.inheritSignIn) && sharing.length > 0;
    // A new value replaces the shared one for every connection using it; the old one is kept to put back.
    const previous = remember && sharing.length ? await this.deps.secrets.get(account!) : null;
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
          secretStored: remember || inherit,
          loginHost: input.loginHost,
          idpClientId: input.idpClientId,
          client: input.client,
          environment: input.environment,
        },
        now,
      );
    } catch (error) {
      if (remember && previous !== null) await this.deps.secrets.set(account!, previous).catch(() => undefined);
      else if (remember && !sharing.length) await this.deps.secrets.delete(account!).catch(() => false);
      throw error;
    }
    // A new secret: an old refusal of the shared one no longer applies. An inherited one keeps its mark.
    if (remember && sharing.length)
      this.deps.connections.setSecretStoredFor(
        sharing.map((c) => c.id),
        true,
        now,
      );
    const refused = inherit ? sharing.find((c) => c.secretRefused)?.secretRefused : undefined;
    if (refused) this.deps.connections.markSecretRefused(id, refused.at, refused.vaultErrorType);
    if (refused) created = this.require(id);
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
    await this.deps.signInLayout?.ensure();
    const now = this.deps.clock.now().toISOString();
    const oldAccount = loginSecretAccount(current);
    const newAccount = loginSecretAccount(input);
    const sameAccount = oldAccount === newAccount;
    const oldOthers = oldAccount ? this.signInUsers(current, current.id) : [];
    const newOthers = newAccount && !sameAccount ? this.signInUsers(input, current.id) : [];
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
    // Other connections of this user on the new Vault domain already share a saved sign-in: use it.
    const inherit = input.authMethod !== 'sso' && Boolean(input.rememberSecret && !input.secret && newOthers.length);
    // A remembered secret is never sent to another Vault domain or user without being typed again.
    if (
      input.authMethod !== 'sso' &&
      !sameAccount &&
      !inherit &&
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
        : inherit || Boolean(input.rememberSecret && current.secretStored && sameAccount);
    const replaced = Boolean(input.rememberSecret && newAccount && input.secret);
    if (replaced) {
      await this.deps.secrets.set(newAccount!, input.secret!);
      secretStored = true;
    }
    // Stop using the old item when asked to, or when it no longer fits; the last one out deletes it.
    const oldStillUsed = secretStored && sameAccount;
    if (oldAccount && current.secretStored && !oldStillUsed && !oldOthers.length)
      await this.deps.secrets.delete(oldAccount);
    if (!ssoRenewalStays && current.ssoProfile) this.deps.connections.setSsoProfile(current.id, null);
    // A new secret, another saved sign-in, or none at all: an old refusal no longer applies. (Another
    // Vault of the same domain and user keeps the shared item, and so its refusal.)
    if (current.secretRefused && (replaced || !sameAccount || !secretStored))
      this.deps.connections.setSecretStored(current.id, secretStored, now);
    // A replaced shared secret is replaced for every connection that uses it.
    if (replaced) {
      const users = this.signInUsers(input, current.id).map((c) => c.id);
      if (users.length) this.deps.connections.setSecretStoredFor(users, true, now);
    }
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
    const inherited = inherit ? newOthers.find((c) => c.secretRefused)?.secretRefused : undefined;
    if (inherited) this.deps.connections.markSecretRefused(current.id, inherited.at, inherited.vaultErrorType);
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
    await this.deps.signInLayout?.ensure();
    const now = this.deps.clock.now().toISOString();
    await this.deps.secrets.set(account, secret);
    // One edit fixes every connection that uses this saved sign-in (issue 15, item 2).
    const users = [id, ...this.signInUsers(current, id).map((c) => c.id)];
    this.deps.connections.setSecretStoredFor(users, true, now);
    this.deps.audit.record(
      {
        action: 'connection.secret-replace',
        connectionId: id,
        connectionName: current.name,
        detail: current.secretRefused
          ? `replaced a saved ${current.authMethod === 'token' ? 'token' : 'password'} Vault had refused${sharedBy(users.length)}`
          : `saved the ${current.authMethod === 'token' ? 'token' : 'password'} in the keychain${sharedBy(users.length)}`,
      },
      now,
    );
    return this.require(id);
  }

  /** Removes the connection, its token rows, and every keychain item filed under it or its tokens. */
  async remove(id: string): Promise<void> {
    const current = this.require(id);
    await this.deps.signInLayout?.ensure();
    const prefix = accounts.connectionPrefix(id);
    const tokenAccounts = new Set(
      this.deps.connections.storedTokenSecrets(id).map((t) => accounts.token(t.vaultId, t.tokenId)),
    );
    // The shared sign-in goes with the last connection that uses it.
    const signIn = loginSecretAccount(current);
    if (signIn && current.secretStored && !this.signInUsers(current, id).length) tokenAccounts.add(signIn);
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

function sharedBy(connections: number): string {
  return connections > 1 ? `, for the ${connections} connections that share it` : '';
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
