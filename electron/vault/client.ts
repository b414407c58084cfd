/**
 * Vault REST client façade for Vault Token Desk (no `electron` import: the
 * caller injects `fetch`, which is `net.fetch` in Electron and Node's fetch or
 * the tests' trusting fetch elsewhere).
 *
 * ```ts
 * const client = new VaultClient({
 *   fetch, logger,
 *   timeoutMs?: number,                      // default 30 000 (per request, incl. body)
 *   now?: () => Date, sleep?: (ms) => Promise<void>, timers?: Timers,
 *   maxSessionAgeMs?: number,                // default 47 h (Vault's hard cap is 48 h, §3.7)
 *   onNotice?: (connectionId, message) => void,   // e.g. "waiting 42 s for the next minute"
 *   onLimits?: (connectionId, LimitsSnapshot) => void, // after each response carrying burst headers
 * });
 * const vault = client.connection(
 *   { connectionId, dns: 'myvault.veevavault.com', apiVersion: 'v26.2', clientId: 'vault-token-desk' },
 *   async () => ({ kind: 'password', username, password })   // or { kind: 'token', token } / { kind: 'session', sessionId }
 * );                                         // cached by connectionId; a changed config replaces the entry
 * await vault.whoami();                      // VaultUser            GET /objects/users/me (§3.8)
 * await vault.apiVersions();                 // Record<v, url>       GET /api/ (§3.8)
 * await vault.testConnection();              // { user, vault: { id, name | null, dns }, apiVersion, burstLimitRemaining }
 * await vault.checkCapabilities();           // the above + apiVersions + checks[] (read-only, capabilities.ts)
 * vault.reachableVaults();                   // [{ id, name, dns }] from the password login's vaultIds (§3.2)
 * await vault.generateToken({ target: { kind: 'me' } | { kind: 'user', userId } | { kind: 'sandbox', sandboxName },
 *                             name, expiry: { kind: 'never' } | { kind: 'date', date: 'YYYY-MM-DD' } | { kind: 'datetime', iso } });
 *                                            // { id, value }  — never retried (§1.2–§1.4)
 * await vault.listTokens({ userId?, activeOnly?, onPage?, maxPages?, signal? }); // VaultTokenRow[]  (VQL §2)
 * await vault.getToken(id);                  // VaultTokenRow | null (Retrieve Object Record, §1.5)
 * await vault.revokeTokens(ids);             // { id, ok, errorType?, message? }[] in input order, ≤500/batch (§1.5)
 * await vault.listUsers({ search?, limit?, signal? });  // VaultUser[], humans only (§4)
 * await vault.keepAlive(); vault.startKeepAlive({ intervalMs?, idlePeriodMs? }) → stop(); vault.markActivity();
 * vault.limits();                            // LimitsSnapshot (latest burst headers + seenAt, §5.3)
 * await vault.end();                         // DELETE /session for sessions this client created (§3.8)
 * await client.forget(connectionId);         // drop (and end) one cached connection
 * await client.endAll();                     // on quit
 * ```
 * Modules: errors.ts (VaultError + classification), http.ts (URL, headers,
 * timeout, envelope, limits, logging), auth.ts (password / token / pasted
 * session, defaulting guard), session-manager.ts (cache, re-auth once, 47 h,
 * keep-alive, end), query.ts (VQL + next_page), tokens.ts, users.ts, types.ts.
 *
 * Sessions: only sessions this client created with a password are ended on
 * `end()`; a pasted session id belongs to the user's other tool and is only
 * forgotten. Token connections have no session.
 * Every failure is a `VaultError` (see errors.ts) with `kind`, `type`,
 * `vaultMessage`, `httpStatus`, `executionId` and a message a person can act on.
 */
import type { Logger } from '../log';
import { VaultError } from './errors';
import { DEFAULT_TIMEOUT_MS, VaultHttp, buildEndpoint, fetchApiVersions, urlMatches } from './http';
import { SessionManager, type KeepAliveOptions, type Timers } from './session-manager';
import { generateToken, getToken, listTokens, revokeTokens, type ListTokensOptions } from './tokens';
import { listUsers, whoami, type ListUsersOptions } from './users';
import { accessChecks, burstCheck, versionChecks } from './capabilities';
import { compareApiVersions, type CapabilityCheck } from '../../shared/capabilities';
import {
  type FetchLike,
  type GenerateTokenRequest,
  type LimitsSnapshot,
  type RevokeResult,
  type VaultConnectionConfig,
  type VaultCredentials,
  type VaultTokenRow,
  type VaultUser,
} from './types';

export type {
  FetchLike,
  GenerateTokenRequest,
  LimitsSnapshot,
  RevokeResult,
  TokenExpiry,
  TokenTarget,
  VaultConnectionConfig,
  VaultCredentials,
  VaultTokenRow,
  VaultUser,
} from './types';
export { VaultError, type VaultErrorKind } from './errors';
export type { ListTokensOptions } from './tokens';
export type { ListUsersOptions } from './users';
export type { PageInfo } from './query';
export type { KeepAliveOptions, Timers } from './session-manager';

export interface VaultClientDeps {
  fetch: FetchLike;
  logger: Logger;
  timeoutMs?: number;
  now?: () => Date;
  sleep?: (ms: number) => Promise<void>;
  timers?: Timers;
  maxSessionAgeMs?: number;
  onNotice?: (connectionId: string, message: string) => void;
  onLimits?: (connectionId: string, snapshot: LimitsSnapshot) => void;
}

export interface TestConnectionResult {
  user: VaultUser;
  /** `name` is known after a password login (from `vaultIds`); null for token / pasted-session connections. */
  vault: { id: number; name: string | null; dns: string };
  apiVersion: string;
  burstLimitRemaining: number | null;
}

export interface CapabilityReport extends TestConnectionResult {
  /** Every version `GET /api/` offers, oldest first. */
  apiVersions: string[];
  checks: CapabilityCheck[];
}

/** Who this login is, and which Vault it reached. */
export interface VaultIdentity {
  userId: string;
  vault: { id: number; name: string | null };
}

export interface ReachableVault {
  id: number;
  name: string | null;
  dns: string;
}

export interface VaultConnectionHandle {
  readonly config: Readonly<VaultConnectionConfig>;
  whoami(): Promise<VaultUser>;
  identity(): Promise<VaultIdentity>;
  apiVersions(): Promise<Record<string, string>>;
  testConnection(): Promise<TestConnectionResult>;
  checkCapabilities(): Promise<CapabilityReport>;
  reachableVaults(): ReachableVault[];
  generateToken(req: GenerateTokenRequest): Promise<{ id: string; value: string }>;
  listTokens(opts?: ListTokensOptions): Promise<VaultTokenRow[]>;
  getToken(id: string): Promise<VaultTokenRow | null>;
  revokeTokens(ids: string[]): Promise<RevokeResult[]>;
  listUsers(opts?: ListUsersOptions): Promise<VaultUser[]>;
  keepAlive(): Promise<void>;
  startKeepAlive(opts?: KeepAliveOptions): () => void;
  markActivity(): void;
  end(): Promise<void>;
  limits(): LimitsSnapshot;
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class Connection implements VaultConnectionHandle {
  readonly config: Readonly<VaultConnectionConfig>;
  readonly session: SessionManager;
  private readonly http: VaultHttp;
  private readonly now: () => Date;
  private stopKeepAlive: (() => void) | null = null;

  constructor(config: VaultConnectionConfig, credentials: () => Promise<VaultCredentials>, deps: VaultClientDeps) {
    const endpoint = buildEndpoint(config); // throws invalid-input for http://, bad client id, bad version
    this.config = Object.freeze({ ...config });
    const logger = deps.logger.child({ connectionId: config.connectionId, vaultDns: endpoint.dns });
    this.now = deps.now ?? (() => new Date());
    this.http = new VaultHttp(endpoint, {
      fetch: deps.fetch,
      logger,
      timeoutMs: deps.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      now: this.now,
      onLimits: deps.onLimits ? (s) => deps.onLimits?.(config.connectionId, s) : undefined,
    });
    this.session = new SessionManager({
      http: this.http,
      credentials,
      logger,
      now: this.now,
      sleep: deps.sleep ?? defaultSleep,
      onNotice: deps.onNotice ? (m) => deps.onNotice?.(config.connectionId, m) : undefined,
      maxSessionAgeMs: deps.maxSessionAgeMs,
      timers: deps.timers,
    });
  }

  whoami(): Promise<VaultUser> {
    return whoami(this.session);
  }

  /**
   * A password login's answer already says who signed in and where (`userId`, `vaultId` and
   * `vaultIds`, docs/vault-api.md §3.2), so a sync asks nothing more (issue 14: requests per
   * connection). Token and pasted-session logins ask `GET /objects/users/me` (§3.8), whose
   * response carries the Vault id header (§5.4).
   */
  async identity(): Promise<VaultIdentity> {
    const auth = await this.session.getAuth();
    if (auth.kind === 'session' && auth.userId && auth.vault && Number.isFinite(Number(auth.vault.id))) {
      return { userId: auth.userId, vault: { id: Number(auth.vault.id), name: auth.vault.name } };
    }
    const user = await this.whoami();
    const fromSession = this.session.cached();
    const id = Number(
      (fromSession?.kind === 'session' ? fromSession.vault?.id : null) ?? this.lastVaultIdHeader ?? NaN,
    );
    return {
      userId: user.id,
      vault: {
        id: Number.isFinite(id) ? id : 0,
        name: fromSession?.kind === 'session' ? (fromSession.vault?.name ?? null) : null,
      },
    };
  }

  async apiVersions(): Promise<Record<string, string>> {
    const res = await this.session.run(
      (authorization) => fetchApiVersions(this.http, authorization, 'Vault answered without a list of API versions.'),
      {
        repeatable: true,
      },
    );
    return res.values;
  }

  async testConnection(): Promise<TestConnectionResult> {
    return (await this.signIn()).result;
  }

  /** Read-only: what this login may do here (shared/capabilities.ts). Sign-in failures throw; every later "no" is a check. */
  async checkCapabilities(): Promise<CapabilityReport> {
    const { result, versions } = await this.signIn();
    const offered = Object.keys(versions).sort(compareApiVersions);
    const who = result.user.username ?? result.user.displayName;
    const where = result.vault.name ? `“${result.vault.name}” (${result.vault.dns})` : result.vault.dns;
    const signedIn: CapabilityCheck = {
      id: 'signed-in',
      label: 'Signed in',
      status: 'yes',
      detail: `As ${who} on ${where}, Vault id ${result.vault.id}: the Vault asked for.`,
    };
    const access = await accessChecks(this.session, result.user.id);
    const limits = this.http.limits();
    return {
      ...result,
      burstLimitRemaining: limits.burstLimitRemaining,
      apiVersions: offered,
      checks: [
        signedIn,
        ...versionChecks(offered, result.apiVersion),
        ...access,
        burstCheck(limits.burstLimitRemaining, limits.burstLimit),
      ],
    };
  }

  /** Vaults this login reaches (`vaultIds` of a password login, §3.2); empty for token or pasted-session logins. */
  reachableVaults(): ReachableVault[] {
    const auth = this.session.cached();
    if (auth?.kind !== 'session') return [];
    return auth.reachable.flatMap((v) => {
      try {
        return [{ id: Number(v.id), name: v.name, dns: new URL(v.url).host }];
      } catch {
        return [];
      }
    });
  }

  private async signIn(): Promise<{ result: TestConnectionResult; versions: Record<string, string> }> {
    const user = await this.whoami();
    const versions = await this.apiVersions();
    const { dns, apiVersion } = this.http.endpoint;
    const url = versions[apiVersion];
    if (url === undefined) {
      throw new VaultError({
        kind: 'invalid-input',
        message: `The Vault at ${dns} does not offer API version ${apiVersion}. Available: ${Object.keys(versions).join(', ')}.`,
      });
    }
    if (!urlMatches(url, dns, `/api/${apiVersion}`)) {
      throw new VaultError({
        kind: 'wrong-vault',
        message: `Vault lists API ${apiVersion} at ${url}, not at https://${dns}/api/${apiVersion}. Check the Vault DNS.`,
      });
    }
    const auth = this.session.cached();
    const sessionVault = auth?.kind === 'session' ? auth.vault : null;
    const headerVaultId = this.lastVaultIdHeader;
    const id = Number(sessionVault?.id ?? headerVaultId ?? NaN);
    return {
      versions,
      result: {
        user,
        vault: { id: Number.isFinite(id) ? id : 0, name: sessionVault?.name ?? null, dns },
        apiVersion,
        burstLimitRemaining: this.http.limits().burstLimitRemaining,
      },
    };
  }

  /** `X-VaultAPI-VaultId` of the latest response (§5.4), for token/pasted-session connections. */
  private get lastVaultIdHeader(): string | null {
    return this.http.lastVaultId();
  }

  generateToken(req: GenerateTokenRequest): Promise<{ id: string; value: string }> {
    return generateToken(this.session, req, this.now());
  }

  listTokens(opts?: ListTokensOptions): Promise<VaultTokenRow[]> {
    return listTokens(this.session, opts);
  }

  getToken(id: string): Promise<VaultTokenRow | null> {
    return getToken(this.session, id);
  }

  revokeTokens(ids: string[]): Promise<RevokeResult[]> {
    return revokeTokens(this.session, ids);
  }

  listUsers(opts?: ListUsersOptions): Promise<VaultUser[]> {
    return listUsers(this.session, opts);
  }

  keepAlive(): Promise<void> {
    return this.session.keepAlive();
  }

  startKeepAlive(opts?: KeepAliveOptions): () => void {
    this.stopKeepAlive?.();
    const stop = this.session.startKeepAlive(opts);
    this.stopKeepAlive = () => {
      stop();
      this.stopKeepAlive = null;
    };
    return this.stopKeepAlive;
  }

  markActivity(): void {
    this.session.markActivity();
  }

  async end(): Promise<void> {
    this.stopKeepAlive?.();
    await this.session.end();
  }

  limits(): LimitsSnapshot {
    return this.http.limits();
  }
}

export class VaultClient {
  private readonly deps: VaultClientDeps;
  private readonly connections = new Map<string, Connection>();

  constructor(deps: VaultClientDeps) {
    this.deps = deps;
  }

  /**
   * The handle for a saved connection, cached by `connectionId`. A different
   * dns / apiVersion / clientId replaces the cached entry (the old session is
   * ended in the background). Throws `invalid-input` for plain http, a bad
   * DNS, API version or client id.
   */
  connection(config: VaultConnectionConfig, credentials: () => Promise<VaultCredentials>): VaultConnectionHandle {
    const existing = this.connections.get(config.connectionId);
    if (
      existing &&
      existing.config.dns === config.dns &&
      existing.config.apiVersion === config.apiVersion &&
      existing.config.clientId === config.clientId
    ) {
      existing.session.setCredentials(credentials);
      return existing;
    }
    const created = new Connection(config, credentials, this.deps);
    if (existing) {
      this.connections.delete(config.connectionId);
      void existing.end();
    }
    this.connections.set(config.connectionId, created);
    return created;
  }

  /** Whether a connection is signed in already (its next request needs no secret). */
  hasSession(connectionId: string): boolean {
    return this.connections.get(connectionId)?.session.cached() != null;
  }

  /** Drops (and ends) one cached connection, e.g. when it is deleted or its credentials change. */
  async forget(connectionId: string): Promise<void> {
    const existing = this.connections.get(connectionId);
    this.connections.delete(connectionId);
    await existing?.end();
  }

  /** Ends every session this client created (call on quit). */
  async endAll(): Promise<void> {
    const all = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(all.map((c) => c.end()));
  }
}
