/**
 * One place that turns a stored connection into a live Vault client handle:
 * credentials come from the OS keychain (remembered secrets) or from memory
 * (secrets supplied for this run with connections:unlock; session ids are
 * never stored, docs/vault-api.md §6). Records reachability per connection.
 */
import { AppError } from '../../shared/errors';
import { AUTH_SECRET_WORD, type Connection } from '../../shared/domain';
import type { ConnectionsRepo } from './connections-repo';
import { readSecrets, type SecretStore } from '../secrets/secret-store';
import { VaultError, type VaultClient, type VaultConnectionHandle, type VaultCredentials } from '../vault/client';
import { registerSecret, type Logger } from '../log';
import type { Clock } from '../../shared/clock';
import { loginSecretAccount } from './connections-service';
import { readSavedSignIn } from './signin-migration';
import { signInUsers } from '../../shared/signin-accounts';
import { isUnreachable, toAppError } from './vault-errors';
import type { SsoSessions } from './sso-sessions';

export class VaultGateway {
  /** Secrets supplied for this run only; gone when the app quits. */
  private readonly transient = new Map<string, string>();
  /** Stored secrets read ahead for a sync run, each dropped at its first use. */
  private readonly prefetched = new Map<string, string>();
  /**
   * The first sign-in with each shared saved password, while it runs: the other connections that use it
   * wait for it, so a password Vault refuses is sent once, not once per Vault (accounts lock, §5.2).
   */
  private readonly proving = new Map<string, Promise<void>>();
  /** Keep-alive schedulers by connection, while the app is in use (docs/vault-api.md §3.7). */
  private readonly keepAlives = new Map<string, () => void>();

  constructor(
    readonly client: VaultClient,
    private readonly repo: ConnectionsRepo,
    private readonly secrets: SecretStore,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** The app keeps sessions alive while in use; the CLI and tests do not. */
    private readonly keepSessionsAlive: boolean,
    /** Single sign-on: discovery, the browser or device sign-in, and silent renewal (issue 12). */
    readonly sso: SsoSessions,
    /** The one-time move to shared sign-in items (signin-migration.ts), before a saved one is read. */
    private readonly signInLayout: { ensure(): Promise<void> } = { ensure: async () => undefined },
  ) {}

  /**
   * A secret typed for this run. It replaces any cached session, so that a
   * wrong password is reported instead of being hidden by an open session.
   */
  async provideSecret(connectionId: string, secret: string): Promise<void> {
    registerSecret(secret);
    await this.client.forget(connectionId);
    this.keepAlives.get(connectionId)?.();
    this.keepAlives.delete(connectionId);
    this.transient.set(connectionId, secret);
  }

  hasTransientSecret(connectionId: string): boolean {
    return this.transient.has(connectionId);
  }

  /**
   * Why this connection cannot sign in without being given a secret for this run, or null when it
   * can (a typed secret, an open session, a usable saved one, or single sign-on, which asks itself).
   */
  secretNeeded(c: Connection): 'missing' | 'refused' | 'session' | null {
    if (c.authMethod === 'sso' || this.transient.has(c.id) || this.client.hasSession(c.id)) return null;
    if (c.authMethod === 'session') return 'session';
    if (!c.secretStored) return 'missing';
    return c.secretRefused ? 'refused' : null;
  }

  async forget(connectionId: string): Promise<void> {
    this.sso.forget(connectionId);
    this.transient.delete(connectionId);
    this.prefetched.delete(connectionId);
    this.keepAlives.get(connectionId)?.();
    this.keepAlives.delete(connectionId);
    await this.client.forget(connectionId);
  }

  /**
   * Reads the stored secrets of these connections with one keychain request (readSecrets), before a
   * run signs in to many Vaults. Only connections that will sign in with a stored secret and have no
   * open session are read. A keychain that fails here is not an error: each connection then reads
   * its own secret when it signs in, and reports what went wrong.
   */
  async prefetchSecrets(connections: readonly Connection[]): Promise<void> {
    // Connections sharing one saved sign-in (signin-accounts.ts) share one read.
    const wanted = new Map<string, string[]>();
    for (const c of connections) {
      const account = loginSecretAccount(c);
      const usable = c.secretStored && !c.secretRefused && c.authMethod !== 'sso';
      if (account && usable && !this.transient.has(c.id) && !this.client.hasSession(c.id))
        wanted.set(account, [...(wanted.get(account) ?? []), c.id]);
    }
    if ([...wanted.values()].flat().length < 2) return;
    try {
      await this.signInLayout.ensure();
      for (const [account, secret] of await readSecrets(this.secrets, [...wanted.keys()])) {
        if (secret === null) continue;
        registerSecret(secret);
        for (const id of wanted.get(account)!) this.prefetched.set(id, secret);
      }
    } catch (error) {
      this.logger.warn('could not read stored secrets ahead; reading them one by one', { error: String(error) });
    }
  }

  private async secretFor(given: Connection): Promise<string> {
    const inMemory = this.transient.get(given.id);
    if (inMemory) return inMemory;
    // Read again: another connection sharing this saved sign-in may have had it refused meanwhile.
    const connection = this.repo.get(given.id) ?? given;
    if (connection.secretStored && connection.secretRefused) {
      // Never send a secret Vault refused (accounts lock after repeated failures) until it is replaced.
      const what = secretWord(connection);
      const type = connection.secretRefused.vaultErrorType;
      throw new AppError(
        'GUARD',
        `Vault refused the saved ${what} for “${connection.name}”${type ? ` (${type})` : ''}, so it is not sent again. Enter the right one, and replace the saved one.`,
        { fields: { secret: `Vault refused the saved ${what}.` }, ...(type ? { vaultErrorType: type } : {}) },
      );
    }
    const ahead = this.prefetched.get(connection.id);
    this.prefetched.delete(connection.id);
    if (ahead && connection.secretStored) return ahead;
    await this.signInLayout.ensure();
    const stored = connection.secretStored ? await readSavedSignIn(this.secrets, connection) : null;
    if (stored) {
      registerSecret(stored);
      return stored;
    }
    const what = secretWord(connection);
    throw new AppError(
      'GUARD',
      `Vault Token Desk needs the ${what} for “${connection.name}”. Enter it when asked, or edit the connection and tick “Remember”.`,
      {
        fields: { secret: `Enter the ${what}.` },
      },
    );
  }

  private credentials(connection: Connection): () => Promise<VaultCredentials> {
    if (connection.authMethod === 'sso') return async () => this.sso.credentials(connection);
    return async () => {
      const secret = await this.secretFor(connection);
      if (connection.authMethod === 'password')
        return { kind: 'password', username: connection.username, password: secret };
      if (connection.authMethod === 'token') return { kind: 'token', token: secret };
      return { kind: 'session', sessionId: secret };
    };
  }

  handle(connection: Connection): VaultConnectionHandle {
    const handle = this.client.connection(
      {
        connectionId: connection.id,
        dns: connection.dns,
        apiVersion: connection.apiVersion,
        clientId: connection.clientId,
      },
      this.credentials(connection),
    );
    // Sends keep-alive only while there was activity in the idle period; token logins have no session.
    if (this.keepSessionsAlive && !this.keepAlives.has(connection.id) && connection.authMethod !== 'token') {
      this.keepAlives.set(connection.id, handle.startKeepAlive());
    }
    return handle;
  }

  /**
   * Runs one Vault operation for a connection, recording whether Vault was
   * reachable and translating client errors into AppErrors with context.
   */
  async run<T>(
    connection: Connection,
    what: string,
    operation: (vault: VaultConnectionHandle) => Promise<T>,
  ): Promise<T> {
    const now = () => this.clock.now().toISOString();
    // Released once this sign-in is known good, or (finally) after a refusal has been marked.
    const release = await this.firstSignIn(connection);
    try {
      const handle = this.handle(connection);
      if (release) {
        // A password login returns who and where with the session: identity() costs no request more (§3.2).
        await handle.identity();
        release();
      }
      const result = await operation(handle);
      this.repo.setHealth(connection.id, { reachable: true, checkedAt: now() });
      return result;
    } catch (error) {
      if (isUnreachable(error)) this.repo.setHealth(connection.id, { reachable: false, checkedAt: now() });
      else if (!(error instanceof AppError)) this.repo.setHealth(connection.id, { reachable: true, checkedAt: now() });
      if (refusedCredentials(connection, error)) {
        // Never send a refused secret again (Vault locks accounts after repeated failures):
        // forget it for this run, mark a saved one as refused (Connections shows it, and it is
        // not sent again until replaced), and ask the person for it, saying what Vault answered.
        const typed = this.transient.delete(connection.id);
        await this.client.forget(connection.id).catch(() => undefined);
        const what = secretWord(connection);
        const type = (error as VaultError).type;
        const saved = !typed && connection.secretStored && connection.authMethod !== 'session';
        // A shared saved sign-in is refused for every connection that uses it (issue 15, item 2).
        if (saved) this.repo.markSecretRefusedFor(this.sharingIds(connection), now(), type ?? null);
        this.logger.warn('credentials refused', { connectionId: connection.id, errorType: type, saved });
        throw new AppError(
          'GUARD',
          saved
            ? `Vault refused the saved ${what} for “${connection.name}” (${type}). It will not be sent again: enter the right one, and replace the saved one.`
            : `Vault refused the ${what} for “${connection.name}” (${type}). Enter it again.`,
          { fields: { secret: `Vault refused this ${what}.` }, ...(type ? { vaultErrorType: type } : {}) },
        );
      }
      this.logger.warn(`${what} failed`, {
        connectionId: connection.id,
        error: (error as { toLogFields?: () => unknown }).toLogFields?.() ?? String(error),
      });
      throw toAppError(error, `${what} on “${connection.name}”`);
    } finally {
      release?.();
    }
  }

  /**
   * A connection about to sign in with a saved password signs in first, alone, when none sharing it is
   * signing in; those that come meanwhile wait for that one, then either sign in (it was accepted) or
   * read its refusal mark (secretFor) instead of sending the password again. Costs one login's latency.
   */
  private async firstSignIn(connection: Connection): Promise<(() => void) | null> {
    if (connection.authMethod !== 'password' || !connection.secretStored) return null;
    if (this.transient.has(connection.id) || this.client.hasSession(connection.id)) return null;
    const account = loginSecretAccount(connection);
    if (!account) return null;
    const running = this.proving.get(account);
    if (running) {
      await running;
      return null;
    }
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    this.proving.set(account, gate);
    return () => {
      if (this.proving.get(account) === gate) this.proving.delete(account);
      open();
    };
  }

  /** This connection and every other that uses its saved sign-in. */
  private sharingIds(connection: Connection): string[] {
    const others = signInUsers(this.repo.list(), connection).filter((c) => c.id !== connection.id);
    return [connection.id, ...others.map((c) => c.id)];
  }

  /** Lets a connection just added sign in with what another one was given for this run (adding reachable Vaults). */
  async shareTransientSecret(fromId: string, toId: string): Promise<void> {
    const secret = this.transient.get(fromId);
    if (secret) await this.provideSecret(toId, secret);
  }

  async endAll(): Promise<void> {
    for (const stop of this.keepAlives.values()) stop();
    this.keepAlives.clear();
    await this.client.endAll();
  }
}

/** Vault's answer means the secret itself is wrong (docs/vault-api.md §5.2), not that something else failed. */
function refusedCredentials(connection: Connection, error: unknown): boolean {
  if (!(error instanceof VaultError) || error.kind !== 'vault') return false;
  // Single sign-on renews itself (sso-sessions.ts); a rejected session there is not a wrong secret.
  if (connection.authMethod === 'sso') return false;
  if (connection.authMethod === 'password')
    return error.type === 'USERNAME_OR_PASSWORD_INCORRECT' || error.type === 'NO_PASSWORD_PROVIDED';
  // A token or pasted session that Vault no longer accepts (re-authentication cannot help).
  return error.type === 'INVALID_SESSION_ID';
}

/** What a connection signs in with, in words. */
export function secretWord(connection: Pick<Connection, 'authMethod'>): string {
  return AUTH_SECRET_WORD[connection.authMethod];
}
