/**
 * Single sign-on for saved connections (issue 12; docs/vault-api.md §3.4, §3.5):
 * - `discover` runs authentication type discovery on the login host;
 * - `signIn` runs the browser (RFC 8252) or device code (RFC 8628) sign-in, keeps the refresh token
 *   in the keychain (`connection/<id>/oauth-refresh`) and the access token in memory only;
 * - `credentials` gives the session manager a way to get a Vault session: the access token while it
 *   lasts, else a silent renewal with the refresh token, else a clear "sign in again".
 * Nothing here logs a token, code or verifier; the log redactor knows each one (registerSecret).
 */
import type { Connection } from '../../shared/domain';
import { AppError } from '../../shared/errors';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import type { AuditRepo } from '../store/audit-repo';
import { browserSignIn, SSO_SCOPE, type IdpClient } from '../sso/browser-sign-in';
import { deviceSignIn, type DeviceCodePrompt } from '../sso/device-sign-in';
import { chooseProfile, discoverAuthType, type DiscoveryResult } from '../sso/discovery';
import { refreshIdpTokens, type IdpTokens } from '../sso/idp-tokens';
import { resolveLoginHost } from '../sso/login-host';
import { OAuthError } from '../sso/oauth-http';
import { vaultSessionFromIdpToken } from '../sso/vault-session';
import type { SessionAuth } from '../vault/auth';
import { VaultError } from '../vault/errors';
import { DEFAULT_TIMEOUT_MS, VaultHttp, buildEndpoint } from '../vault/http';
import type { FetchLike, VaultCredentials } from '../vault/types';
import type { ConnectionsRepo } from './connections-repo';
import { toAppError } from './vault-errors';
import { signInAccount, signInUsers } from '../../shared/signin-accounts';
import { readSavedSignIn } from './signin-migration';

/** Renew a little before the identity provider's stated expiry, so a request never races it. */
const EXPIRY_MARGIN_MS = 60_000;

export type SsoProgress =
  | { stage: 'discovering' }
  | { stage: 'browser'; url: string }
  | ({ stage: 'device' } & DeviceCodePrompt)
  | { stage: 'vault' };

export interface SsoSessionsDeps {
  fetch: FetchLike;
  secrets: SecretStore;
  repo: ConnectionsRepo;
  audit: AuditRepo;
  clock: Clock;
  logger: Logger;
  /** Opens the system browser; without one, browser sign-in is refused (use a device code). */
  openUrl?: (url: string) => Promise<void>;
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** The one-time move to shared sign-in items (signin-migration.ts). */
  signInLayout?: { ensure(): Promise<void> };
}

interface HeldTokens {
  accessToken: string;
  expiresAt: Date;
  sessionEndpoint: string;
  idpClientId: string;
}

export class SsoSessions {
  /** Access tokens by connection id, in memory only. */
  private readonly held = new Map<string, HeldTokens>();
  /** The profile discovery chose, per connection, so a silent renewal asks the login host only once a run. */
  private readonly profiles = new Map<string, Awaited<ReturnType<SsoSessions['client']>>>();
  private readonly running = new Map<string, AbortController>();
  /** What the running sign-in showed (user code, addresses): not secret, kept so main can copy it. */
  private readonly shown = new Map<string, { code: string | null; address: string }>();

  constructor(private readonly deps: SsoSessionsDeps) {}

  private loginHttp(c: { loginHost: string | null; apiVersion: string; clientId: string }): VaultHttp {
    const dns = resolveLoginHost(c.loginHost, this.deps.env);
    return new VaultHttp(buildEndpoint({ dns, apiVersion: c.apiVersion, clientId: c.clientId }), {
      fetch: this.deps.fetch,
      logger: this.deps.logger.child({ component: 'sso', loginHost: dns }),
      timeoutMs: this.deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      now: () => this.deps.clock.now(),
    });
  }

  private oauthDeps() {
    return {
      fetch: this.deps.fetch,
      logger: this.deps.logger.child({ component: 'sso' }),
      now: () => this.deps.clock.now(),
      ...(this.deps.timeoutMs ? { timeoutMs: this.deps.timeoutMs } : {}),
    };
  }

  async discover(request: {
    username: string;
    loginHost: string | null;
    clientId: string;
    apiVersion?: string;
  }): Promise<DiscoveryResult> {
    const login = this.loginHttp({
      loginHost: request.loginHost,
      apiVersion: request.apiVersion ?? 'v26.2',
      clientId: request.clientId,
    });
    try {
      return await discoverAuthType(login, request.username, request.clientId);
    } catch (error) {
      throw toAppError(error, `Discovery at ${login.endpoint.dns}`);
    }
  }

  private async client(
    connection: Connection,
  ): Promise<{ client: IdpClient; sessionEndpoint: string; label: string; id: string }> {
    const found = await this.discover(connection);
    const chosen = chooseProfile(found, {
      username: connection.username,
      clientId: connection.clientId,
      profileId: connection.ssoProfile?.id ?? null,
      idpClientId: connection.idpClientId,
    });
    const p = chosen.profile;
    return {
      client: {
        idpClientId: chosen.idpClientId,
        authorizationEndpoint: p.authorizationEndpoint,
        tokenEndpoint: p.tokenEndpoint,
        deviceAuthorizationEndpoint: p.deviceAuthorizationEndpoint,
      },
      sessionEndpoint: p.sessionEndpoint,
      label: p.label,
      id: p.id,
    };
  }

  /** Whether a sign-in is waiting on the browser or a device code for this connection. */
  isSigningIn(connectionId: string): boolean {
    return this.running.has(connectionId);
  }

  cancel(connectionId: string): boolean {
    const running = this.running.get(connectionId);
    running?.abort();
    return Boolean(running);
  }

  /** Interactive sign-in. Resolves once the identity provider issued tokens; the Vault session comes on first use. */
  async signIn(
    connection: Connection,
    options: { mode: 'browser' | 'device'; onProgress?: (p: SsoProgress) => void; remember?: boolean },
  ): Promise<{ refreshStored: boolean; profile: { id: string; label: string } }> {
    if (connection.authMethod !== 'sso') {
      throw new AppError('GUARD', `“${connection.name}” does not use single sign-on.`);
    }
    this.cancel(connection.id);
    const controller = new AbortController();
    this.running.set(connection.id, controller);
    const log = this.deps.logger.child({ component: 'sso', connectionId: connection.id });
    try {
      const report = (p: SsoProgress): void => {
        if (p.stage === 'browser') this.shown.set(connection.id, { code: null, address: p.url });
        if (p.stage === 'device')
          this.shown.set(connection.id, { code: p.userCode, address: p.verificationUriComplete ?? p.verificationUri });
        options.onProgress?.(p);
      };
      report({ stage: 'discovering' });
      const chosen = await this.client(connection);
      this.profiles.set(connection.id, chosen);
      const { client, sessionEndpoint, label, id } = chosen;
      const deps = { ...this.oauthDeps(), openUrl: this.deps.openUrl ?? refuseBrowser };
      let tokens: IdpTokens;
      if (options.mode === 'device') {
        tokens = await deviceSignIn(deps, client, {
          signal: controller.signal,
          onUserCode: (prompt) => report({ stage: 'device', ...prompt }),
        });
      } else {
        if (!this.deps.openUrl) {
          throw new AppError('GUARD', 'There is no browser to open here. Sign in with a device code instead.');
        }
        tokens = await browserSignIn(deps, client, {
          loginHint: connection.username,
          signal: controller.signal,
          onBrowserOpened: (url) => report({ stage: 'browser', url }),
        });
      }
      report({ stage: 'vault' });
      this.held.set(connection.id, {
        accessToken: tokens.accessToken,
        expiresAt: tokens.expiresAt,
        sessionEndpoint,
        idpClientId: client.idpClientId,
      });
      const refreshStored = await this.keepRefreshToken(connection, tokens, options.remember ?? true);
      const profile = { id, label };
      this.deps.repo.setSsoProfile(connection.id, profile);
      this.deps.audit.record(
        {
          action: 'connection.sso-sign-in',
          connectionId: connection.id,
          connectionName: connection.name,
          detail: `${options.mode === 'device' ? 'device code' : 'browser'} sign-in with “${label}”${refreshStored ? '; renewal kept in the keychain' : ''}`,
        },
        this.deps.clock.now().toISOString(),
      );
      log.info('single sign-on completed', { mode: options.mode, refreshStored });
      return { refreshStored, profile };
    } finally {
      if (this.running.get(connection.id) === controller) {
        this.running.delete(connection.id);
        this.shown.delete(connection.id);
      }
    }
  }

  private async keepRefreshToken(connection: Connection, tokens: IdpTokens, remember: boolean): Promise<boolean> {
    await this.deps.signInLayout?.ensure();
    const account = signInAccount(connection)!;
    const now = this.deps.clock.now().toISOString();
    if (tokens.refreshToken && remember) {
      // One renewal per identity-provider user and Vault domain: every connection sharing it renews with it.
      await this.deps.secrets.set(account, tokens.refreshToken);
      // Also those whose renewal had ended (invalid_grant forgets it for all): one sign-in renews them all.
      const everyone = this.deps.repo
        .list()
        .filter((c) => c.id !== connection.id && signInAccount(c) === account)
        .map((c) => c.id);
      this.deps.repo.setSecretStoredFor([connection.id, ...everyone], true, now);
      return true;
    }
    // An old refresh token would renew a sign-in the person just replaced (unless others still use it).
    if (connection.secretStored && !this.sharing(connection).length)
      await this.deps.secrets.delete(account).catch(() => false);
    this.deps.repo.setSecretStored(connection.id, false, now);
    return false;
  }

  /** Ids of the other connections that renew with this connection's saved refresh token. */
  private sharing(connection: Connection): string[] {
    return signInUsers(this.deps.repo.list(), connection)
      .filter((c) => c.id !== connection.id)
      .map((c) => c.id);
  }

  /** The running sign-in's user code or address, for copying; null when none is shown. */
  shownValue(connectionId: string, what: 'code' | 'address'): string | null {
    const shown = this.shown.get(connectionId);
    return (what === 'code' ? shown?.code : shown?.address) ?? null;
  }

  /** Forgets the in-memory access token (on disconnect, edit or removal). */
  forget(connectionId: string): void {
    this.held.delete(connectionId);
    this.profiles.delete(connectionId);
    this.cancel(connectionId);
  }

  /** Credentials for the session manager: a Vault session from the held token, renewed silently when it can be. */
  credentials(connection: Connection): VaultCredentials {
    return { kind: 'sso', signIn: (vault) => this.vaultSession(connection, vault) };
  }

  private async vaultSession(connection: Connection, vault: VaultHttp): Promise<SessionAuth> {
    const login = this.loginHttp(connection);
    const loginDeps = { logger: this.deps.logger, now: () => this.deps.clock.now(), sleep: async () => undefined };
    let held = this.held.get(connection.id);
    let renewed = false;
    if (!held || held.expiresAt.getTime() - EXPIRY_MARGIN_MS <= this.deps.clock.now().getTime()) {
      held = await this.renew(connection);
      renewed = true;
    }
    for (;;) {
      try {
        return await vaultSessionFromIdpToken(login, vault, held, loginDeps);
      } catch (error) {
        const refused = error instanceof VaultError && error.kind === 'vault';
        if (!refused) throw error;
        this.held.delete(connection.id);
        if (!renewed && (this.deps.repo.get(connection.id)?.secretStored ?? false)) {
          // Vault refused a token we held: perhaps the identity provider revoked it. Renew once.
          held = await this.renew(connection);
          renewed = true;
          continue;
        }
        throw new AppError(
          'VAULT',
          `Vault refused the identity provider’s token for “${connection.name}” (${error.type ?? 'no error type'}). Sign in again; if it keeps happening, ask the Vault admin to check the OAuth 2.0 / OpenID Connect profile and that your Vault user is linked to your identity-provider account.`,
          { ...(error.type ? { vaultErrorType: error.type } : {}), cause: error },
        );
      }
    }
  }

  /** Silent renewal with the keychain's refresh token (RFC 6749 §6); else the person must sign in. */
  private async renew(connection: Connection): Promise<HeldTokens> {
    const current = this.deps.repo.get(connection.id) ?? connection;
    await this.deps.signInLayout?.ensure();
    const account = signInAccount(current)!;
    const refreshToken = current.secretStored ? await readSavedSignIn(this.deps.secrets, current) : null;
    if (!refreshToken) throw signInRequired(connection, 'its sign-in has ended and no renewal is saved');
    const chosen = this.profiles.get(connection.id) ?? (await this.client(current));
    this.profiles.set(connection.id, chosen);
    const { client, sessionEndpoint } = chosen;
    if (!client.tokenEndpoint) throw signInRequired(connection, 'its identity provider lists no token endpoint');
    let tokens: IdpTokens;
    try {
      tokens = await refreshIdpTokens(this.oauthDeps(), client.tokenEndpoint, {
        refreshToken,
        clientId: client.idpClientId,
        scope: SSO_SCOPE,
      });
    } catch (error) {
      if (error instanceof OAuthError && error.error === 'invalid_grant') {
        // RFC 6749 §5.2: expired or revoked. Never send it again.
        // Shared: it is no use to any connection of this user on the domain.
        await this.deps.secrets.delete(account).catch(() => false);
        this.deps.repo.setSecretStoredFor(
          [connection.id, ...this.sharing(current)],
          false,
          this.deps.clock.now().toISOString(),
        );
        throw signInRequired(
          connection,
          'the identity provider no longer accepts its saved renewal (expired or revoked)',
        );
      }
      throw error;
    }
    if (tokens.refreshToken && tokens.refreshToken !== refreshToken)
      await this.deps.secrets.set(account, tokens.refreshToken);
    const held = {
      accessToken: tokens.accessToken,
      expiresAt: tokens.expiresAt,
      sessionEndpoint,
      idpClientId: client.idpClientId,
    };
    this.held.set(connection.id, held);
    this.deps.logger.info('single sign-on renewed silently', { connectionId: connection.id });
    return held;
  }
}

function signInRequired(connection: Connection, why: string): AppError {
  return new AppError('SIGN_IN_REQUIRED', `Sign in again to “${connection.name}”: ${why}.`, {
    fields: { signIn: 'Sign in with your browser.' },
  });
}

async function refuseBrowser(): Promise<void> {
  throw new Error('no browser');
}
