/**
 * State of the fake identity provider: registered public clients,
 * authorization codes, access and refresh tokens, device authorizations.
 * Secrets (codes, tokens, device codes) are kept only as SHA-256 hashes, like
 * the fake Vault's token values (docs/vault-api.md §1.7).
 */
import { randomBytes, randomInt } from 'node:crypto';
import { sha256Hex } from '../ids';
import type { FakeSsoOptions } from './types';
import type { FakeIdpClientSeed, IdpGrantType } from '../types';

export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
export const ALL_GRANTS: IdpGrantType[] = ['authorization_code', 'refresh_token', DEVICE_CODE_GRANT];

export interface IdpClient {
  clientId: string;
  grantTypes: ReadonlySet<IdpGrantType>;
  redirectPath: string;
}

/** A person who can sign in at the IdP (the fake's directory is the Vault users with `sso`). */
export interface IdpAccount {
  username: string;
  /** Stable subject identifier (OIDC Core §2 `sub`). */
  sub: string;
  passwordSha256: string;
}

/** What a grant was given for; shared by every token derived from one authorization. */
interface Grant {
  /** Tokens issued from one code / device authorization share it (RFC 6749 §4.1.2 revocation on code reuse). */
  grantId: number;
  clientId: string;
  username: string;
  sub: string;
  scope: string[];
}

export interface CodeRecord extends Grant {
  redirectUri: string;
  codeChallenge: string;
  nonce: string | null;
  expiresAt: Date;
  used: boolean;
}

export interface TokenRecord extends Grant {
  kind: 'access' | 'refresh';
  issuedAt: Date;
  expiresAt: Date | null;
  revoked: boolean;
}

export interface DeviceRecord {
  deviceCodeHash: string;
  /** Normalised: 8 letters, no dash. Not a secret on its own (RFC 8628 §5.1: short-lived, rate limited). */
  userCode: string;
  clientId: string;
  scope: string[];
  expiresAt: Date;
  intervalSeconds: number;
  lastPollAt: Date | null;
  status: 'pending' | 'approved' | 'denied' | 'consumed';
  account: IdpAccount | null;
  grantId: number;
}

/** RFC 8628 §6.1: base-20 consonants, no vowels (no accidental words), no lookalikes. */
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

function secret(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function parseScope(raw: string | null | undefined): string[] {
  return [...new Set((raw ?? '').split(' ').filter(Boolean))];
}

/** `WDJBMJHT` → `WDJB-MJHT` (RFC 8628 §6.1 example). */
export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** RFC 8628 §6.1: compare case-insensitively, ignoring dashes and spaces. */
export function normalizeUserCode(raw: string): string {
  return raw.toUpperCase().replace(/[\s-]/g, '');
}

export class IdpStore {
  readonly clients = new Map<string, IdpClient>();
  private readonly codes = new Map<string, CodeRecord>();
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly devices = new Map<string, DeviceRecord>();
  private nextGrantId = 1;

  constructor(
    readonly now: () => Date,
    readonly options: Required<FakeSsoOptions>,
    private readonly directory: (username: string) => IdpAccount | null,
  ) {}

  registerClient(seed: FakeIdpClientSeed): void {
    this.clients.set(seed.clientId, {
      clientId: seed.clientId,
      grantTypes: new Set(seed.grantTypes ?? ALL_GRANTS),
      redirectPath: seed.redirectPath ?? '/callback',
    });
  }

  /** The account if the password is right, else null. */
  signIn(username: string, password: string): IdpAccount | null {
    const account = this.directory(username.trim());
    return account && account.passwordSha256 === sha256Hex(password) ? account : null;
  }

  account(username: string): IdpAccount | null {
    return this.directory(username);
  }

  private after(ms: number): Date {
    return new Date(this.now().getTime() + ms);
  }

  private expired(at: Date | null): boolean {
    return at !== null && at.getTime() <= this.now().getTime();
  }

  // ------------------------------------------------------------------ codes

  issueCode(input: Omit<CodeRecord, 'grantId' | 'expiresAt' | 'used'>): string {
    const code = secret('idp-code-');
    this.codes.set(sha256Hex(code), {
      ...input,
      grantId: this.nextGrantId++,
      expiresAt: this.after(this.options.codeLifetimeMs),
      used: false,
    });
    return code;
  }

  findCode(code: string): CodeRecord | undefined {
    return this.codes.get(sha256Hex(code));
  }

  codeExpired(c: CodeRecord): boolean {
    return this.expired(c.expiresAt);
  }

  expireCodes(): void {
    const now = this.now();
    for (const c of this.codes.values()) c.expiresAt = now;
  }

  // ----------------------------------------------------------------- tokens

  /** RFC 6749 §5.1 access token response (plus OIDC Core §3.1.3.3 `id_token`). */
  issueTokens(
    grant: Grant,
    extra: { nonce?: string | null; withRefresh?: boolean; accessTokenLifetimeMs?: number },
  ): Record<string, unknown> {
    const { options } = this;
    const lifetime = extra.accessTokenLifetimeMs ?? options.accessTokenLifetimeMs;
    const accessToken = secret('idp-at-');
    const issuedAt = this.now();
    this.tokens.set(sha256Hex(accessToken), {
      ...grant,
      kind: 'access',
      issuedAt,
      expiresAt: this.after(lifetime),
      revoked: false,
    });
    const body: Record<string, unknown> = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: Math.round(lifetime / 1000),
      scope: grant.scope.join(' '),
    };
    if (extra.withRefresh ?? this.refreshWanted(grant.scope)) {
      const refreshToken = secret('idp-rt-');
      const life = options.refreshTokenLifetimeMs;
      this.tokens.set(sha256Hex(refreshToken), {
        ...grant,
        kind: 'refresh',
        issuedAt,
        expiresAt: life === null ? null : this.after(life),
        revoked: false,
      });
      body.refresh_token = refreshToken;
    }
    if (options.idTokens && grant.scope.includes('openid')) body.id_token = this.idToken(grant, extra.nonce ?? null);
    return body;
  }

  private refreshWanted(scope: string[]): boolean {
    const mode = this.options.issueRefreshTokens;
    return mode === 'always' || (mode === 'offline_access' && scope.includes('offline_access'));
  }

  /** Set once the listener is bound. */
  issuer = '';

  /** OIDC Core §2 claims in an unsigned JWT (`alg: none`, RFC 7519 §6): the fake has no signing keys. */
  private idToken(grant: Grant, nonce: string | null): string {
    const now = Math.floor(this.now().getTime() / 1000);
    const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const claims: Record<string, unknown> = {
      iss: this.issuer,
      sub: grant.sub,
      aud: grant.clientId,
      iat: now,
      exp: now + Math.round(this.options.accessTokenLifetimeMs / 1000),
      preferred_username: grant.username,
    };
    if (nonce !== null) claims.nonce = nonce;
    return `${enc({ alg: 'none', typ: 'JWT' })}.${enc(claims)}.`;
  }

  /** A live (unexpired, unrevoked) token of that kind, or null. */
  liveToken(value: string, kind?: TokenRecord['kind']): TokenRecord | null {
    const t = this.tokens.get(sha256Hex(value));
    if (!t || (kind && t.kind !== kind) || t.revoked || this.expired(t.expiresAt)) return null;
    return t;
  }

  revokeGrant(grantId: number): void {
    for (const t of this.tokens.values()) if (t.grantId === grantId) t.revoked = true;
  }

  revoke(kind: TokenRecord['kind'], username?: string): number {
    let n = 0;
    for (const t of this.tokens.values()) {
      if (t.kind !== kind || t.revoked || this.expired(t.expiresAt)) continue;
      if (username !== undefined && t.username.toLowerCase() !== username.toLowerCase()) continue;
      t.revoked = true;
      n++;
    }
    return n;
  }

  newGrantId(): number {
    return this.nextGrantId++;
  }

  // ----------------------------------------------------------------- device

  startDevice(clientId: string, scope: string[]): { deviceCode: string; record: DeviceRecord } {
    const deviceCode = secret('idp-dc-');
    let userCode: string;
    do {
      userCode = Array.from({ length: 8 }, () => USER_CODE_ALPHABET[randomInt(USER_CODE_ALPHABET.length)]).join('');
    } while (this.deviceByUserCode(userCode));
    const record: DeviceRecord = {
      deviceCodeHash: sha256Hex(deviceCode),
      userCode,
      clientId,
      scope,
      expiresAt: this.after(this.options.deviceCodeLifetimeMs),
      intervalSeconds: this.options.deviceIntervalSeconds,
      lastPollAt: null,
      status: 'pending',
      account: null,
      grantId: this.nextGrantId++,
    };
    this.devices.set(record.deviceCodeHash, record);
    return { deviceCode, record };
  }

  deviceByCode(deviceCode: string): DeviceRecord | undefined {
    return this.devices.get(sha256Hex(deviceCode));
  }

  /** Pending or decided, not yet expired. */
  deviceByUserCode(raw: string): DeviceRecord | undefined {
    const code = normalizeUserCode(raw);
    for (const d of this.devices.values()) if (d.userCode === code && !this.deviceExpired(d)) return d;
    return undefined;
  }

  deviceExpired(d: DeviceRecord): boolean {
    return this.expired(d.expiresAt);
  }
}
