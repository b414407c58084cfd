/**
 * In-memory data of the fake domain: Vaults, users, security profiles,
 * API access tokens and sessions. Route handlers use this directly; tests use
 * the FakeVaultState facade (state.ts).
 */
import { newSessionId, newTokenValue, sha256Hex, tokenRecordId } from './ids';
import { DEFAULT_SECURITY_PROFILES, UNKNOWN_PROFILE_DEFAULTS, type ResolvedOptions } from './options';
import { isValidTimeZone, truncateToSecond } from './time';
import type { FakeSecurityProfileSeed, FakeSsoProfileSeed, FakeUserSeed, FakeVaultSeed } from './types';

export interface VaultRecord {
  id: number;
  name: string;
  /** 0 until the listener is bound. */
  port: number;
  dns: string;
  origin: string;
  active: boolean;
  sandboxOf: number | null;
  createdAt: Date;
  /** Insertion order; breaks createdAt ties for "oldest Vault" (§3.3). */
  seq: number;
}

export interface UserRecord {
  id: number;
  username: string;
  /** SHA-256 of the password; null = no password login. */
  passwordSha256: string | null;
  firstName: string;
  lastName: string;
  email: string;
  timezone: string;
  locale: string;
  securityProfile: string;
  licenseType: string;
  vaultIds: Set<number>;
  allVaults: boolean;
  veevaId: boolean;
  active: boolean;
  systemUser: boolean;
  lockedOut: boolean;
  passwordChangeRequired: boolean;
  lastLoginVaultId: number | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  modifiedAt: Date;
  /** OAuth/OIDC profile id the user signs in through (§3.4/§3.5); null = none. */
  ssoProfile: string | null;
  /** SHA-256 of the user's password at the fake IdP; null = no IdP account. */
  idpPasswordSha256: string | null;
  /** SSO through SAML only (§3.5: discovery lists no profile). */
  samlOnly: boolean;
}

/** §3.5 discovery profile, with its defaults applied. */
export type SsoProfileRecord = Required<Omit<FakeSsoProfileSeed, 'sessionEndpointHost'>> & {
  sessionEndpointHost: string | null;
};

export interface ProfileRecord {
  name: string;
  canManageTokens: boolean;
  maxTokenLifetimeDays: number | null;
  allowNeverExpire: boolean;
  apiAccess: boolean;
}

export interface TokenRecord {
  id: string;
  vaultId: number;
  userId: number;
  name: string;
  /** The ONLY trace of the secret (§1.7: "keep a hash"). */
  valueSha256: string;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: number;
  modifiedAt: Date;
  modifiedBy: number;
  lastUsedAt: Date | null;
  deletedAt: Date | null;
}

export type TokenLifecycle = 'active' | 'expired' | 'deleted';

export interface SessionRecord {
  id: string;
  userId: number;
  vaultId: number;
  createdAt: Date;
  /** When the last request on this session finished (§3.7 idle clock). */
  lastActivityAt: Date;
  endedAt: Date | null;
  endReason: 'logout' | 'expired-by-test' | 'password-changed' | 'user-inactivated' | 'idle' | 'max-age' | null;
}

export type SessionValidity = 'valid' | 'ended' | 'idle' | 'max-age';

export class Store {
  readonly vaults = new Map<number, VaultRecord>();
  readonly users = new Map<number, UserRecord>();
  readonly profiles = new Map<string, ProfileRecord>();
  readonly tokens = new Map<string, TokenRecord>();
  readonly sessions = new Map<string, SessionRecord>();
  readonly ssoProfiles = new Map<string, SsoProfileRecord>();
  private readonly tokenIdByHash = new Map<string, string>();
  private tokenCounter = 0x2_0000;
  private nextUserId = 60001;
  private vaultSeq = 0;

  constructor(readonly options: ResolvedOptions) {
    for (const p of DEFAULT_SECURITY_PROFILES) this.profiles.set(p.name, { ...p });
  }

  now(): Date {
    return this.options.now();
  }

  // ---------------------------------------------------------------- profiles

  upsertProfile(seed: FakeSecurityProfileSeed): ProfileRecord {
    const existing = this.profiles.get(seed.name);
    const base: ProfileRecord = existing ?? { name: seed.name, ...UNKNOWN_PROFILE_DEFAULTS };
    const next: ProfileRecord = {
      name: seed.name,
      canManageTokens: seed.canManageTokens ?? base.canManageTokens,
      maxTokenLifetimeDays:
        seed.maxTokenLifetimeDays === undefined ? base.maxTokenLifetimeDays : seed.maxTokenLifetimeDays,
      allowNeverExpire: seed.allowNeverExpire ?? base.allowNeverExpire,
      apiAccess: seed.apiAccess ?? base.apiAccess,
    };
    this.profiles.set(seed.name, next);
    return next;
  }

  profileOf(user: UserRecord): ProfileRecord {
    return this.profiles.get(user.securityProfile) ?? { name: user.securityProfile, ...UNKNOWN_PROFILE_DEFAULTS };
  }

  // ------------------------------------------------------------ sso profiles

  addSsoProfile(seed: FakeSsoProfileSeed): SsoProfileRecord {
    if (this.ssoProfiles.has(seed.id)) throw new Error(`fake-vault: duplicate SSO profile ${seed.id}`);
    const record: SsoProfileRecord = {
      id: seed.id,
      label: seed.label,
      description: seed.description ?? '',
      clientIdMappings: { ...seed.clientIdMappings },
      deviceFlow: seed.deviceFlow ?? true,
      useAdal: seed.useAdal ?? false,
      useMsal: seed.useMsal ?? false,
      // §3.5: the values Veeva uses for oauthProviderType are UNCONFIRMED.
      oauthProviderType: seed.oauthProviderType ?? 'okta',
      sessionEndpointHost: seed.sessionEndpointHost ?? null,
    };
    this.ssoProfiles.set(seed.id, record);
    return record;
  }

  // ------------------------------------------------------------------ vaults

  addVault(seed: FakeVaultSeed, position: number): VaultRecord {
    const id = seed.id ?? 1000 + position;
    if (this.vaults.has(id)) throw new Error(`fake-vault: duplicate Vault id ${id}`);
    let sandboxOf: number | null = null;
    if (seed.sandboxOf !== undefined) {
      const parent = this.findVault(seed.sandboxOf);
      if (!parent) throw new Error(`fake-vault: sandboxOf ${String(seed.sandboxOf)} is not a known Vault`);
      sandboxOf = parent.id;
    }
    const seq = this.vaultSeq++;
    const record: VaultRecord = {
      id,
      name: seed.name,
      port: 0,
      dns: '',
      origin: '',
      active: seed.active ?? true,
      sandboxOf,
      // Seed order = creation order unless told otherwise (§3.3 "oldest").
      createdAt: seed.createdAt ?? new Date(Date.UTC(2015, 0, 1) + seq * 86_400_000),
      seq,
    };
    this.vaults.set(id, record);
    return record;
  }

  bindVault(id: number, port: number): void {
    const v = this.vaults.get(id);
    if (!v) return;
    v.port = port;
    v.dns = `${this.options.host}:${port}`;
    v.origin = `https://${v.dns}`;
  }

  findVault(ref: number | string): VaultRecord | undefined {
    if (typeof ref === 'number') return this.vaults.get(ref);
    const lower = ref.toLowerCase();
    for (const v of this.vaults.values()) if (v.name.toLowerCase() === lower) return v;
    return undefined;
  }

  /** `dns` as routes/auth.ts normalizeDns gives it (`localhost` read as 127.0.0.1). */
  vaultByDns(dns: string): VaultRecord | undefined {
    for (const v of this.vaults.values()) if (v.dns.replace(/^localhost(?=:|$)/, '127.0.0.1') === dns) return v;
    return undefined;
  }

  vaultsInCreationOrder(): VaultRecord[] {
    return [...this.vaults.values()].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.seq - b.seq);
  }

  // ------------------------------------------------------------------- users

  addUser(seed: FakeUserSeed): UserRecord {
    const id = seed.id ?? this.nextUserId++;
    if (this.users.has(id)) throw new Error(`fake-vault: duplicate user id ${id}`);
    if (this.findUser(seed.username)) throw new Error(`fake-vault: duplicate username ${seed.username}`);
    if (id >= this.nextUserId) this.nextUserId = id + 1;
    const timezone = seed.timezone ?? 'America/New_York';
    if (!isValidTimeZone(timezone)) throw new Error(`fake-vault: invalid time zone ${timezone}`);
    const [first, last] = splitName(seed.username);
    const now = truncateToSecond(this.now());
    const user: UserRecord = {
      id,
      username: seed.username,
      passwordSha256: seed.password ? sha256Hex(seed.password) : null,
      firstName: seed.firstName ?? first,
      lastName: seed.lastName ?? last,
      email: seed.email ?? (seed.username.includes('@') ? seed.username : `${seed.username}@example.com`),
      timezone,
      locale: seed.locale ?? 'en_US',
      securityProfile: seed.securityProfile ?? 'document_user__v',
      licenseType: seed.licenseType ?? 'full__v',
      vaultIds: new Set(),
      allVaults: seed.vaults === 'all',
      veevaId: seed.veevaId ?? false,
      active: seed.active ?? true,
      systemUser: seed.systemUser ?? false,
      lockedOut: seed.lockedOut ?? false,
      passwordChangeRequired: seed.passwordChangeRequired ?? false,
      lastLoginVaultId: null,
      lastLoginAt: null,
      createdAt: seed.createdAt ?? now,
      modifiedAt: seed.createdAt ?? now,
      ssoProfile: null,
      idpPasswordSha256: null,
      samlOnly: seed.samlOnly ?? false,
    };
    this.setSso(user, seed.sso);
    if (Array.isArray(seed.vaults)) {
      for (const ref of seed.vaults) user.vaultIds.add(this.requireVault(ref).id);
    }
    if (seed.lastLoginVault !== undefined) user.lastLoginVaultId = this.requireVault(seed.lastLoginVault).id;
    this.users.set(id, user);
    return user;
  }

  /** Links the user to an OAuth/OIDC profile and an IdP password (or unlinks with undefined). */
  setSso(user: UserRecord, sso: FakeUserSeed['sso']): void {
    if (sso && !this.ssoProfiles.has(sso.profile))
      throw new Error(`fake-vault: user ${user.username} names unknown SSO profile ${sso.profile}`);
    user.ssoProfile = sso?.profile ?? null;
    user.idpPasswordSha256 = sso ? sha256Hex(sso.idpPassword) : null;
  }

  requireVault(ref: number | string): VaultRecord {
    const v = this.findVault(ref);
    if (!v) throw new Error(`fake-vault: unknown Vault ${String(ref)}`);
    return v;
  }

  requireUser(ref: number | string): UserRecord {
    const u = this.findUser(ref);
    if (!u) throw new Error(`fake-vault: unknown user ${String(ref)}`);
    return u;
  }

  findUser(ref: number | string): UserRecord | undefined {
    if (typeof ref === 'number') return this.users.get(ref);
    const lower = ref.toLowerCase();
    for (const u of this.users.values()) if (u.username.toLowerCase() === lower) return u;
    return undefined;
  }

  isMember(user: UserRecord, vaultId: number): boolean {
    return user.allVaults || user.vaultIds.has(vaultId);
  }

  /** Active Vaults the user belongs to, oldest first. */
  usableVaults(user: UserRecord): VaultRecord[] {
    return this.vaultsInCreationOrder().filter((v) => v.active && v.port !== 0 && this.isMember(user, v.id));
  }

  membersOf(vaultId: number): UserRecord[] {
    return [...this.users.values()].filter((u) => this.isMember(u, vaultId)).sort((a, b) => a.id - b.id);
  }

  // ------------------------------------------------------------------ tokens

  insertToken(input: {
    vaultId: number;
    userId: number;
    name: string;
    expiresAt: Date | null;
    createdBy: number;
    createdAt?: Date;
    lastUsedAt?: Date | null;
    deleted?: boolean;
    value?: string;
  }): { record: TokenRecord; value: string } {
    const value = input.value ?? newTokenValue();
    const hash = sha256Hex(value);
    if (this.tokenIdByHash.has(hash)) throw new Error('fake-vault: token value collision');
    const createdAt = truncateToSecond(input.createdAt ?? this.now());
    const id = tokenRecordId(this.tokenCounter++);
    const record: TokenRecord = {
      id,
      vaultId: input.vaultId,
      userId: input.userId,
      name: input.name,
      valueSha256: hash,
      expiresAt: input.expiresAt ? truncateToSecond(input.expiresAt) : null,
      createdAt,
      createdBy: input.createdBy,
      modifiedAt: createdAt,
      modifiedBy: input.createdBy,
      lastUsedAt: input.lastUsedAt ? truncateToSecond(input.lastUsedAt) : null,
      deletedAt: input.deleted ? createdAt : null,
    };
    this.tokens.set(id, record);
    this.tokenIdByHash.set(hash, id);
    return { record, value };
  }

  tokenByValue(value: string): TokenRecord | undefined {
    const id = this.tokenIdByHash.get(sha256Hex(value));
    return id === undefined ? undefined : this.tokens.get(id);
  }

  lifecycle(t: TokenRecord): TokenLifecycle {
    if (t.deletedAt) return 'deleted';
    if (t.expiresAt && t.expiresAt.getTime() <= this.now().getTime()) return 'expired';
    return 'active';
  }

  /** §1.1: at most 25 active tokens per user (per Vault); expired and deleted ones do not count. */
  activeTokenCount(userId: number, vaultId: number): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (t.userId === userId && t.vaultId === vaultId && this.lifecycle(t) === 'active') n++;
    }
    return n;
  }

  deleteToken(t: TokenRecord, by: number): void {
    const now = truncateToSecond(this.now());
    t.deletedAt = now;
    t.modifiedAt = now;
    t.modifiedBy = by;
  }

  // ---------------------------------------------------------------- sessions

  createSession(userId: number, vaultId: number): SessionRecord {
    const now = this.now();
    const s: SessionRecord = {
      id: newSessionId(),
      userId,
      vaultId,
      createdAt: now,
      lastActivityAt: now,
      endedAt: null,
      endReason: null,
    };
    this.sessions.set(s.id, s);
    return s;
  }

  /** §3.7: idle timeout counted from the end of the last request; 48 h hard cap. */
  sessionValidity(s: SessionRecord): SessionValidity {
    if (s.endedAt) return 'ended';
    const now = this.now().getTime();
    if (now - s.createdAt.getTime() >= this.options.sessionMaxAgeMs) return 'max-age';
    if (now - s.lastActivityAt.getTime() >= this.options.idleTimeoutMs) return 'idle';
    return 'valid';
  }

  endSession(s: SessionRecord, reason: NonNullable<SessionRecord['endReason']>): void {
    if (!s.endedAt) {
      s.endedAt = this.now();
      s.endReason = reason;
    }
  }

  endSessionsOfUser(userId: number, reason: NonNullable<SessionRecord['endReason']>): number {
    let n = 0;
    for (const s of this.sessions.values()) {
      if (s.userId === userId && !s.endedAt) {
        this.endSession(s, reason);
        n++;
      }
    }
    return n;
  }
}

function splitName(username: string): [string, string] {
  const local = username.split('@')[0] ?? username;
  const parts = local.split(/[._-]+/).filter(Boolean);
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  return [cap(parts[0] ?? local), cap(parts.slice(1).join(' ') || 'User')];
}
