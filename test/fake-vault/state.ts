/**
 * Programmatic control of the fake for tests: the "Vault admin UI".
 * Everything here bypasses the API's checks (as an admin in the UI would).
 */
import { sha256Hex, truncateSessionId } from './ids';
import type {
  ProfileRecord,
  SessionValidity,
  Store,
  TokenLifecycle,
  TokenRecord,
  UserRecord,
  VaultRecord,
} from './store';
import type { FakeSecurityProfileSeed, FakeUserSeed, FakeVaultInfo, FakeVaultSeed } from './types';

export interface FakeUserInfo {
  id: number;
  username: string;
  firstName: string;
  lastName: string;
  email: string;
  timezone: string;
  securityProfile: string;
  vaultIds: number[] | 'all';
  veevaId: boolean;
  active: boolean;
  systemUser: boolean;
  lockedOut: boolean;
  passwordChangeRequired: boolean;
  lastLoginVaultId: number | null;
  /** OAuth/OIDC profile id, or null. */
  ssoProfile: string | null;
  samlOnly: boolean;
}

export type FakeUserPatch = Partial<Omit<FakeUserSeed, 'id' | 'username' | 'createdAt' | 'lastLoginVault'>>;

/** Token metadata: never the value. */
export interface FakeTokenInfo {
  id: string;
  vaultId: number;
  userId: number;
  name: string;
  status: TokenLifecycle;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: number;
  lastUsedAt: Date | null;
  deletedAt: Date | null;
}

export interface FakeSessionInfo {
  truncatedId: string;
  userId: number;
  vaultId: number;
  createdAt: Date;
  lastActivityAt: Date;
  validity: SessionValidity;
}

export interface CreateTokenInput {
  vault: number | string;
  user: number | string;
  name: string;
  /** null/omitted: never expires. */
  expiresAt?: Date | null;
  createdAt?: Date;
  lastUsedAt?: Date | null;
  /** Fixed value instead of a random one. */
  value?: string;
}

export interface StateHooks {
  /** Binds a listener for a Vault added at run time. */
  startVault(record: VaultRecord, port: number): Promise<FakeVaultInfo>;
}

/** Snapshot of a bound Vault; `active` stays live (follows setVaultActive). */
export function vaultInfo(v: VaultRecord): FakeVaultInfo {
  return {
    id: v.id,
    name: v.name,
    dns: v.dns,
    origin: v.origin,
    port: v.port,
    sandboxOf: v.sandboxOf,
    get active(): boolean {
      return v.active;
    },
  };
}

export class FakeVaultState {
  constructor(
    /** Direct access to the underlying data, for unusual test set-ups. */
    readonly store: Store,
    private readonly hooks: StateHooks,
  ) {}

  // ------------------------------------------------------------------ users

  addUser(seed: FakeUserSeed): FakeUserInfo {
    return userInfo(this.store.addUser(seed));
  }

  getUser(ref: number | string): FakeUserInfo | undefined {
    const u = this.store.findUser(ref);
    return u ? userInfo(u) : undefined;
  }

  listUsers(): FakeUserInfo[] {
    return [...this.store.users.values()].map(userInfo);
  }

  /** Password change and deactivation end the user's sessions (§3.7). */
  updateUser(ref: number | string, patch: FakeUserPatch): FakeUserInfo {
    const u = this.store.requireUser(ref);
    if (patch.password !== undefined) this.changePassword(u.id, patch.password);
    if (patch.firstName !== undefined) u.firstName = patch.firstName;
    if (patch.lastName !== undefined) u.lastName = patch.lastName;
    if (patch.email !== undefined) u.email = patch.email;
    if (patch.timezone !== undefined) u.timezone = patch.timezone;
    if (patch.locale !== undefined) u.locale = patch.locale;
    if (patch.securityProfile !== undefined) u.securityProfile = patch.securityProfile;
    if (patch.licenseType !== undefined) u.licenseType = patch.licenseType;
    if (patch.vaults !== undefined) {
      u.allVaults = patch.vaults === 'all';
      u.vaultIds = new Set(Array.isArray(patch.vaults) ? patch.vaults.map((r) => this.store.requireVault(r).id) : []);
    }
    if (patch.veevaId !== undefined) u.veevaId = patch.veevaId;
    if (patch.systemUser !== undefined) u.systemUser = patch.systemUser;
    if (patch.lockedOut !== undefined) u.lockedOut = patch.lockedOut;
    if (patch.passwordChangeRequired !== undefined) u.passwordChangeRequired = patch.passwordChangeRequired;
    if ('sso' in patch) this.store.setSso(u, patch.sso);
    if ('samlOnly' in patch) u.samlOnly = patch.samlOnly ?? false;
    if (patch.active !== undefined) this.setUserActive(u.id, patch.active);
    u.modifiedAt = this.store.now();
    return userInfo(u);
  }

  setUserActive(ref: number | string, active: boolean): void {
    const u = this.store.requireUser(ref);
    u.active = active;
    if (!active) this.store.endSessionsOfUser(u.id, 'user-inactivated');
  }

  /** Ends every session of the user (§3.7). Tokens survive. */
  changePassword(ref: number | string, newPassword: string | null): void {
    const u = this.store.requireUser(ref);
    u.passwordSha256 = newPassword ? sha256Hex(newPassword) : null;
    this.store.endSessionsOfUser(u.id, 'password-changed');
  }

  setLastLoginVault(ref: number | string, vault: number | string | null): void {
    const u = this.store.requireUser(ref);
    u.lastLoginVaultId = vault === null ? null : this.store.requireVault(vault).id;
  }

  // ----------------------------------------------------------------- vaults

  /** Starts a listener on its own port; resolves once it is reachable. */
  async addVault(seed: FakeVaultSeed): Promise<FakeVaultInfo> {
    const record = this.store.addVault(seed, this.store.vaults.size);
    return this.hooks.startVault(record, seed.port ?? 0);
  }

  setVaultActive(ref: number | string, active: boolean): void {
    this.store.requireVault(ref).active = active;
  }

  listVaults(): FakeVaultInfo[] {
    return this.store.vaultsInCreationOrder().map(vaultInfo);
  }

  // ------------------------------------------------------- security profiles

  /** Creates or updates a profile, e.g. `{ maxTokenLifetimeDays: 30, allowNeverExpire: false }`. */
  setSecurityProfile(name: string, patch: Omit<FakeSecurityProfileSeed, 'name'>): ProfileRecord {
    return { ...this.store.upsertProfile({ ...patch, name }) };
  }

  getSecurityProfile(name: string): ProfileRecord | undefined {
    const p = this.store.profiles.get(name);
    return p ? { ...p } : undefined;
  }

  // ----------------------------------------------------------------- tokens

  /** As if created in Vault's UI: no policy checks. Returns the value once. */
  createToken(input: CreateTokenInput): { id: string; value: string } {
    const vault = this.store.requireVault(input.vault);
    const user = this.store.requireUser(input.user);
    const { record, value } = this.store.insertToken({
      vaultId: vault.id,
      userId: user.id,
      name: input.name,
      expiresAt: input.expiresAt ?? null,
      createdBy: user.id,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
      ...(input.lastUsedAt !== undefined ? { lastUsedAt: input.lastUsedAt } : {}),
      ...(input.value !== undefined ? { value: input.value } : {}),
    });
    return { id: record.id, value };
  }

  /** Deletes (inactivates) a token. */
  deleteToken(id: string): void {
    const t = this.requireToken(id);
    if (!t.deletedAt) this.store.deleteToken(t, 1);
  }

  /** Alias of deleteToken: Vault inactivates deleted tokens. */
  inactivateToken(id: string): void {
    this.deleteToken(id);
  }

  /** Makes a token expire now (on the injected clock). */
  expireToken(id: string): void {
    this.requireToken(id).expiresAt = new Date(Math.floor(this.store.now().getTime() / 1000) * 1000);
  }

  getToken(id: string): FakeTokenInfo | undefined {
    const t = this.store.tokens.get(id);
    return t ? this.tokenInfo(t) : undefined;
  }

  listTokens(
    filter: { vault?: number | string; user?: number | string; status?: TokenLifecycle } = {},
  ): FakeTokenInfo[] {
    const vaultId = filter.vault === undefined ? undefined : this.store.requireVault(filter.vault).id;
    const userId = filter.user === undefined ? undefined : this.store.requireUser(filter.user).id;
    return [...this.store.tokens.values()]
      .filter((t) => (vaultId === undefined || t.vaultId === vaultId) && (userId === undefined || t.userId === userId))
      .map((t) => this.tokenInfo(t))
      .filter((t) => filter.status === undefined || t.status === filter.status);
  }

  // --------------------------------------------------------------- sessions

  /** Ends every open session (tokens are unaffected). Returns how many were open. */
  expireAllSessions(): number {
    let n = 0;
    for (const s of this.store.sessions.values()) {
      if (!s.endedAt) {
        this.store.endSession(s, 'expired-by-test');
        n++;
      }
    }
    return n;
  }

  listSessions(): FakeSessionInfo[] {
    return [...this.store.sessions.values()].map((s) => ({
      truncatedId: truncateSessionId(s.id),
      userId: s.userId,
      vaultId: s.vaultId,
      createdAt: s.createdAt,
      lastActivityAt: s.lastActivityAt,
      validity: this.store.sessionValidity(s),
    }));
  }

  /**
   * Everything the fake stores about tokens, users and profiles, as plain
   * JSON — for asserting that no token value is kept anywhere.
   */
  snapshot(): unknown {
    return JSON.parse(
      JSON.stringify({
        vaults: [...this.store.vaults.values()],
        users: [...this.store.users.values()].map((u) => ({ ...u, vaultIds: [...u.vaultIds] })),
        profiles: [...this.store.profiles.values()],
        tokens: [...this.store.tokens.values()],
        sessions: [...this.store.sessions.values()].map((s) => ({ ...s, id: truncateSessionId(s.id) })),
      }),
    );
  }

  private requireToken(id: string): TokenRecord {
    const t = this.store.tokens.get(id);
    if (!t) throw new Error(`fake-vault: unknown token ${id}`);
    return t;
  }

  private tokenInfo(t: TokenRecord): FakeTokenInfo {
    return {
      id: t.id,
      vaultId: t.vaultId,
      userId: t.userId,
      name: t.name,
      status: this.store.lifecycle(t),
      expiresAt: t.expiresAt,
      createdAt: t.createdAt,
      createdBy: t.createdBy,
      lastUsedAt: t.lastUsedAt,
      deletedAt: t.deletedAt,
    };
  }
}

function userInfo(u: UserRecord): FakeUserInfo {
  return {
    id: u.id,
    username: u.username,
    firstName: u.firstName,
    lastName: u.lastName,
    email: u.email,
    timezone: u.timezone,
    securityProfile: u.securityProfile,
    vaultIds: u.allVaults ? 'all' : [...u.vaultIds].sort((a, b) => a - b),
    veevaId: u.veevaId,
    active: u.active,
    systemUser: u.systemUser,
    lockedOut: u.lockedOut,
    passwordChangeRequired: u.passwordChangeRequired,
    lastLoginVaultId: u.lastLoginVaultId,
    ssoProfile: u.ssoProfile,
    samlOnly: u.samlOnly,
  };
}
