/**
 * Per-connection authentication state (docs/vault-api.md §3.7, §3.8):
 * - one cached session (or token) per connection, in memory only; concurrent
 *   callers share one login;
 * - on `INVALID_SESSION_ID`, drop the session and, ONLY for requests that are
 *   safe to repeat (GET, VQL query/next_page, keep-alive), sign in again once
 *   and retry once. Generate and revoke are never repeated: the error is
 *   surfaced (the next call signs in again);
 * - sessions this client created are replaced before the 48-hour hard cap
 *   (default at 47 h, injectable clock);
 * - `keepAlive()` (`POST /keep-alive`) and a scheduler that keeps the session
 *   alive every 5 min while the app was in use during the last idle period
 *   (default 20 min; Vault's idle timeout is per-Vault and UNCONFIRMED, §3.7);
 * - `end()` (`DELETE /session`) for sessions this client created.
 *
 * Token connections have no session: keep-alive and end are no-ops (whether
 * keep-alive accepts a token is UNCONFIRMED, §3.8).
 */
import {
  authorizationHeader,
  endSessionQuietly,
  passwordLogin,
  tokenAuth,
  validatePastedSession,
  type ActiveAuth,
  type LoginDeps,
} from './auth';
import { VaultError, isVaultError } from './errors';
import type { VaultHttp } from './http';
import type { VaultCredentials } from './types';

export const DEFAULT_MAX_SESSION_AGE_MS = 47 * 60 * 60 * 1000;
export const DEFAULT_KEEP_ALIVE_INTERVAL_MS = 5 * 60 * 1000;
export const DEFAULT_IDLE_PERIOD_MS = 20 * 60 * 1000;

export interface Timers {
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (handle: unknown) => void;
}

export const realTimers: Timers = {
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms);
    h.unref?.();
    return h;
  },
  clearInterval: (h) => clearInterval(h as ReturnType<typeof setInterval>),
};

export interface SessionManagerDeps extends LoginDeps {
  http: VaultHttp;
  credentials: () => Promise<VaultCredentials>;
  maxSessionAgeMs?: number;
  timers?: Timers;
}

export interface KeepAliveOptions {
  intervalMs?: number;
  /** Keep alive only while there was activity within this period. */
  idlePeriodMs?: number;
}

function sameCredential(a: ActiveAuth, b: ActiveAuth): boolean {
  if (a.kind === 'token' && b.kind === 'token') return a.token === b.token;
  if (a.kind === 'session' && b.kind === 'session') return a.sessionId === b.sessionId;
  return false;
}

export class SessionManager {
  private readonly deps: SessionManagerDeps;
  private current: ActiveAuth | null = null;
  private pending: Promise<ActiveAuth> | null = null;
  private lastActivityAt: number | null = null;
  private keepAliveRunning = false;

  constructor(deps: SessionManagerDeps) {
    this.deps = deps;
  }

  /** Replaces the credentials provider used for the next sign-in. */
  setCredentials(credentials: () => Promise<VaultCredentials>): void {
    this.deps.credentials = credentials;
  }

  get http(): VaultHttp {
    return this.deps.http;
  }

  /** Current auth kind, or null before the first sign-in. */
  authKind(): ActiveAuth['kind'] | null {
    return this.current?.kind ?? null;
  }

  /** The cached auth (for tests and testConnection); never log it. */
  cached(): ActiveAuth | null {
    return this.current;
  }

  /** Records user activity: the keep-alive scheduler keeps the session alive while this is recent. */
  markActivity(): void {
    this.lastActivityAt = this.deps.now().getTime();
  }

  async getAuth(): Promise<ActiveAuth> {
    const cur = this.current;
    if (cur?.kind === 'session' && cur.owned) {
      const age = this.deps.now().getTime() - cur.createdAt.getTime();
      if (age >= (this.deps.maxSessionAgeMs ?? DEFAULT_MAX_SESSION_AGE_MS)) {
        this.deps.logger.info('session near the 48-hour cap; signing in again', { ageMs: age });
        this.current = null;
        await endSessionQuietly(this.deps.http, cur, this.deps.logger);
      }
    }
    if (this.current) return this.current;
    if (!this.pending) {
      this.pending = this.login().finally(() => {
        this.pending = null;
      });
    }
    return this.pending;
  }

  private async login(): Promise<ActiveAuth> {
    const creds = await this.deps.credentials();
    let auth: ActiveAuth;
    switch (creds.kind) {
      case 'password':
        auth = await passwordLogin(this.deps.http, creds, this.deps);
        break;
      case 'token':
        auth = tokenAuth(creds.token);
        break;
      case 'session':
        auth = await validatePastedSession(this.deps.http, creds.sessionId, this.deps);
        break;
      case 'sso':
        auth = await creds.signIn(this.deps.http);
        break;
    }
    this.current = auth;
    return auth;
  }

  /** Forgets `auth` if it is still the cached one (after Vault rejected it). */
  invalidate(auth: ActiveAuth): void {
    if (this.current === auth) this.current = null;
  }

  /**
   * Runs `op` with an Authorization header. On `INVALID_SESSION_ID` the cached
   * auth is dropped; if `repeatable`, signs in again once and retries once.
   */
  async run<T>(
    op: (authorization: string) => Promise<T>,
    opts: { repeatable: boolean; activity?: boolean },
  ): Promise<T> {
    if (opts.activity !== false) this.markActivity();
    const auth = await this.getAuth();
    try {
      return await op(authorizationHeader(auth));
    } catch (err) {
      if (!(isVaultError(err) && err.kind === 'vault' && err.type === 'INVALID_SESSION_ID')) throw err;
      this.invalidate(auth);
      this.deps.logger.info('vault rejected the session', {
        authKind: auth.kind,
        repeatable: opts.repeatable,
        executionId: err.executionId,
        path: err.path,
      });
      if (!opts.repeatable) {
        throw new VaultError({
          kind: err.kind,
          type: err.type,
          vaultMessage: err.vaultMessage,
          errors: err.errors,
          httpStatus: err.httpStatus,
          executionId: err.executionId,
          method: err.method,
          path: err.path,
          message:
            auth.kind === 'token'
              ? 'Vault rejected the API access token (expired or revoked), so it did not process this request. Use another token or sign in with a password.'
              : 'The Vault session had expired, so Vault did not process this request. Try again; the app will sign in again first.',
        });
      }
      const fresh = await this.getAuth();
      if (sameCredential(auth, fresh)) {
        // Token or pasted session: signing in again gave the same rejected credential.
        this.invalidate(fresh);
        throw err;
      }
      return await op(authorizationHeader(fresh));
    }
  }

  /** `POST /keep-alive` (§3.8). No-op without a cached session (token connections have none). */
  async keepAlive(): Promise<void> {
    if (this.current?.kind !== 'session') return;
    await this.run((authorization) => this.deps.http.request({ method: 'POST', path: '/keep-alive', authorization }), {
      repeatable: true,
      activity: false,
    });
  }

  /**
   * Keeps the session alive every `intervalMs` while there was activity in
   * the last `idlePeriodMs` (Vault-Toolbox pings every 5 min, §7). Returns a
   * stop function. Keep-alive failures are logged, never thrown.
   */
  startKeepAlive(opts: KeepAliveOptions = {}): () => void {
    const timers = this.deps.timers ?? realTimers;
    const intervalMs = opts.intervalMs ?? DEFAULT_KEEP_ALIVE_INTERVAL_MS;
    const idlePeriodMs = opts.idlePeriodMs ?? DEFAULT_IDLE_PERIOD_MS;
    const handle = timers.setInterval(() => {
      void this.keepAliveTick(idlePeriodMs);
    }, intervalMs);
    return () => timers.clearInterval(handle);
  }

  /** One scheduler tick; exposed for tests. Resolves true when a keep-alive was sent. */
  async keepAliveTick(idlePeriodMs = DEFAULT_IDLE_PERIOD_MS): Promise<boolean> {
    if (this.keepAliveRunning || this.current?.kind !== 'session') return false;
    const now = this.deps.now().getTime();
    if (this.lastActivityAt === null || now - this.lastActivityAt > idlePeriodMs) return false;
    this.keepAliveRunning = true;
    try {
      await this.keepAlive();
      return true;
    } catch (err) {
      this.deps.logger.warn('keep-alive failed', isVaultError(err) ? err.toLogFields() : { kind: 'unknown' });
      return false;
    } finally {
      this.keepAliveRunning = false;
    }
  }

  /** Forgets the auth; ends the session if this client created it (`DELETE /session`, §3.8). */
  async end(): Promise<void> {
    if (this.pending) await this.pending.catch(() => undefined);
    const cur = this.current;
    this.current = null;
    if (cur?.kind === 'session' && cur.owned) {
      await endSessionQuietly(this.deps.http, cur, this.deps.logger);
      this.deps.logger.info('session ended');
    }
  }
}
