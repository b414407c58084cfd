/**
 * Public types of the fake Veeva Vault server. Other code (the real Vault
 * client's tests, the e2e suite) imports these through ./index.ts.
 *
 * Section references (§n.n) point at docs/vault-api.md.
 */
import type { FaultInjector } from './faults';
import type { FakeIdp, FakeSsoOptions, LoginHostLogEntry } from './idp/types';
import type { FakeVaultState } from './state';
import type { UnconfirmedErrorTypes } from './options';

/** A security profile, shared by every Vault of the fake domain. */
export interface FakeSecurityProfileSeed {
  /** API name, e.g. `vault_owner__v`. */
  name: string;
  /**
   * May generate, see and delete OTHER users' tokens (§1.1 "appropriate
   * permissions"; real permission name UNCONFIRMED). Default false.
   */
  canManageTokens?: boolean;
  /** Longest allowed token lifetime in days; null = no maximum. Default 90 (§1.1, UNCONFIRMED). */
  maxTokenLifetimeDays?: number | null;
  /** Whether `expiry_date__v` may be omitted (never-expiring token, §1.2). Default false. */
  allowNeverExpire?: boolean;
  /** `VaultActions_API_Access` (§3.2): without it, login works but every later call fails. Default true. */
  apiAccess?: boolean;
}

export interface FakeVaultSeed {
  /** Vault ID; default: 1000 + position. */
  id?: number;
  name: string;
  /** Port on 127.0.0.1; default 0 (ephemeral). The Vault's DNS is `127.0.0.1:<port>`. */
  port?: number;
  /** Inactive Vaults are skipped by authentication defaulting (§3.3). Default true. */
  active?: boolean;
  /** ID or name of the production Vault this Vault is a sandbox of (§1.4). */
  sandboxOf?: number | string;
  /** Creation time; decides "oldest active Vault" in §3.3. Default: seed order. */
  createdAt?: Date;
}

export interface FakeUserSeed {
  /** Numeric user ID (legacy ID = user__sys ID = api_access_token__sys.user__sys, §4). */
  id?: number;
  /** Login name, e.g. `admin@veepharm.com` (compared case-insensitively). */
  username: string;
  /** Omit or null: the user cannot log in with a password (e.g. the System user). */
  password?: string | null;
  firstName?: string;
  lastName?: string;
  email?: string;
  /** IANA time zone, used for date-only token expiries (§1.2). Default `America/New_York`. */
  timezone?: string;
  locale?: string;
  /** Security profile name. Default `document_user__v`. */
  securityProfile?: string;
  licenseType?: string;
  /** Vault memberships by ID or name, or 'all'. Default: none. */
  vaults?: (number | string)[] | 'all';
  /** VeevaID users cannot receive tokens (§1.2). */
  veevaId?: boolean;
  /** Default true. */
  active?: boolean;
  /** System-owned user (System, Application Owner, …): listed in §4 user lists, flagged in VQL. */
  systemUser?: boolean;
  lockedOut?: boolean;
  passwordChangeRequired?: boolean;
  /** Vault (ID or name) the user last logged into, for §3.3 defaulting. */
  lastLoginVault?: number | string;
  createdAt?: Date;
  /**
   * Single sign-on through the fake identity provider (docs/vault-api.md §3.4/§3.5):
   * discovery answers `auth_type: sso` with this OAuth/OIDC profile, and the
   * user signs in at the IdP with `idpPassword` (the Vault `password` may stay null).
   */
  sso?: { profile: string; idpPassword: string };
  /** SSO through SAML only: discovery answers `auth_type: sso` with an empty `auth_profiles` (§3.5). */
  samlOnly?: true;
}

/** A token that exists before the server starts, as if made in Vault's UI. */
export interface FakeTokenSeed {
  vault: number | string;
  user: number | string;
  name: string;
  /** null or omitted: never expires. */
  expiresAt?: Date | null;
  createdAt?: Date;
  lastUsedAt?: Date | null;
  deleted?: boolean;
  /** Fixed secret value (otherwise random). Only its SHA-256 is kept. */
  value?: string;
}

export interface FakeVaultOptions {
  vaults?: FakeVaultSeed[];
  users?: FakeUserSeed[];
  /** OAuth 2.0 / OIDC profiles discovery can return (§3.5). Default: the demo seed's, or none with `users`. */
  ssoProfiles?: FakeSsoProfileSeed[];
  /**
   * Clients registered at the fake IdP. Every IdP client id a profile maps to
   * (`clientIdMappings` values) is registered too, with the defaults.
   */
  idpClients?: FakeIdpClientSeed[];
  /** The fake identity provider and login host (ports, lifetimes, UNCONFIRMED choices); see idp/types.ts. */
  sso?: FakeSsoOptions;
  /** Merged over the built-in profiles (see options.ts DEFAULT_SECURITY_PROFILES). */
  securityProfiles?: FakeSecurityProfileSeed[];
  tokens?: FakeTokenSeed[];
  /** Session idle timeout. Default 20 min (§3.7: real default UNCONFIRMED). */
  idleTimeoutMs?: number;
  /** Session hard cap. Default 48 h (§3.7: not configurable in Vault; here for tests only). */
  sessionMaxAgeMs?: number;
  /** Added to every request (real time). Default 0. */
  latencyMs?: number;
  /**
   * The host name in this fake domain's Vault DNS (`<host>:<port>`) and URLs (vaultIds, GET /api/).
   * Default `127.0.0.1`. A second fake Vault started with `localhost` stands for a second Vault domain:
   * the app keys saved sign-ins by the DNS without its first label, and an IP or `localhost` is its own
   * key (shared/signin-accounts.ts). Both names reach the same listener on 127.0.0.1.
   */
  host?: '127.0.0.1' | 'localhost';
  /** Calls per Vault per burst window (§5.3). Default 2000. */
  burstLimit?: number;
  /** Burst window length; default 5 minutes, fixed windows on the injected clock (§5.3). */
  burstWindowMs?: number;
  /** Delay added to each call once over the burst limit (§5.3, Vault Help: 500 ms). */
  burstDelayMs?: number;
  /** /auth calls per username+DNS per minute (§5.3). Default 20. */
  authBurstLimit?: number;
  /** Delay for /auth calls from 50 % of the auth limit (§5.3; amount UNCONFIRMED). Default 500 ms. */
  authBurstDelayMs?: number;
  /** Injectable clock for expiry, last-used, idle and rate windows. */
  now?: () => Date;
  /** Where ca.pem (and the keys) are written; reused when present. Default: a fresh temp dir. */
  certDir?: string;

  // ---- UNCONFIRMED switches (each documented in options.ts) ----
  /** §2.1: value of an inactive token's status__v. Default 'inactive__v'. */
  inactiveStatus?: string;
  /** §2.1: does an expired token read as inactive in VQL/record reads? Default true. */
  expiredTokensReadInactive?: boolean;
  /** §1.5: deleted tokens stay queryable as inactive ('inactive') or vanish ('hidden'). Default 'inactive'. */
  deletedTokens?: 'inactive' | 'hidden';
  /** §2.1: expiry_date__sys of a never-expiring token. Default null. */
  neverExpiresValue?: string | null;
  /** Picklist fields (status__v, user_type__v) as arrays `["active__v"]` like other Vault object reads. Default true. */
  picklistsAsArrays?: boolean;
  /** §4: user references (user__sys, created_by__v, user__sys.id) as numbers or strings. Default 'number'. */
  userReferencesAs?: 'number' | 'string';
  /** §1.2: `expiry_date__sys` on create: 'reject' (ATTRIBUTE_NOT_SUPPORTED), 'accept' (alias), 'ignore'. Default 'reject'. */
  expiryDateSysParam?: 'reject' | 'accept' | 'ignore';
  /** §1.2: other unknown body params on create: 'reject' or 'ignore'. Default 'reject'. */
  unknownTokenParams?: 'reject' | 'ignore';
  /** §1.2: accept `YYYY-MM-DDTHH:MM:SS.sssZ`. Default false (INVALID_DATA). */
  acceptFractionalExpirySeconds?: boolean;
  /** §1.2: max length of name__v. Default 128. */
  maxTokenNameLength?: number;
  /** §1.4: sandbox lookup: sandboxes of the called Vault only, or any Vault of the domain by name. Default 'own-sandboxes'. */
  sandboxLookup?: 'own-sandboxes' | 'domain';
  /** §3.8: does GET /api/ need a valid session/token? Default true. */
  versionsRequireAuth?: boolean;
  /** §3.8: keep-alive / end-session with an access token: 'no-op' SUCCESS, or 'reject'. Default 'no-op'. */
  tokenOnSessionEndpoints?: 'no-op' | 'reject';
  /** §5.4: send X-VaultAPI-TruncatedSessionId on token-authenticated calls. Default false. */
  truncatedSessionIdForTokens?: boolean;
  /** §3.2: top-level errorType on /auth failures (incl. API_LIMIT_EXCEEDED). Default 'AUTHENTICATION_FAILED'. */
  authFailureErrorType?: string;
  /** §3.9: token endpoints refuse versions below this (METHOD_NOT_SUPPORTED). Default: none. */
  minTokenApiVersion?: string;
  /** §3.8: versions listed by GET /api/. */
  apiVersions?: string[];
  /** §2.3: life of a stored result set after the last page call. Default 72 h. */
  queryResultTtlMs?: number;
  /** §2.3: default page size. Default 1000. */
  defaultPageSize?: number;
  /** §2.3: largest PAGESIZE honoured. Default 1000. */
  maxPageSize?: number;
  /** §4: GET /objects/users without `vaults`: users of the called Vault ('current') or the domain ('all'). Default 'current'. */
  usersListDefaultScope?: 'current' | 'all';
  /** Error types chosen for UNCONFIRMED failure cases; see options.ts DEFAULT_ERROR_TYPES. */
  errorTypes?: Partial<UnconfirmedErrorTypes>;

  // ---- loosening switches: the default is the documented (strict) behaviour ----
  /**
   * Undocumented fields a query target should answer after all, per target,
   * e.g. `{ user__sys: ['user_type__v'] }`. By default each target answers only
   * its documented fields (§2.1, §4, second-read findings). Fields the fake
   * keeps data for: api_access_token__sys: created_date__v, created_by__v,
   * modified_date__v, modified_by__v; user__sys: user_type__v, timezone__sys,
   * locale__sys, security_profile__sys, veevaid__sys, created_date__v,
   * modified_date__v. Any other name stays unknown.
   */
  extraQueryFields?: Partial<Record<string, string[]>>;
  /** §1.1: accept a token without the `Bearer ` keyword. Default false (documented: Bearer only). */
  acceptRawTokenAuthorization?: boolean;
  /** §2.2/§2.3: answer GET on /query and on next_page URLs. Default false (documented: POST). */
  queryGetMethod?: boolean;
  /** §1.5: honour POST …?_method=DELETE. Default true (UNCONFIRMED). */
  methodOverride?: boolean;
  /** §3.9: answer API versions that GET /api/ does not list. Default false. */
  acceptUnknownApiVersions?: boolean;
  /** VQL Syntax Basics: fold field/object names and true/false/null to lower case. Default false (documented: case sensitive). */
  vqlCaseInsensitiveNames?: boolean;
  /** VQL Special Characters: an undocumented `\x` escape is an error ('reject', documented) or the literal x ('literal'). */
  vqlUnknownEscapes?: 'reject' | 'literal';
  /** LIKE: `_` matches one character (and `\_` escapes it). Default false (UNCONFIRMED; docs name only %). */
  vqlLikeUnderscoreWildcard?: boolean;
  /** `field IN ('a', 'b')` with literals, like CONTAINS. Default false (documented: IN takes a subquery). */
  vqlInValueLists?: boolean;
  /** `<>` as `!=`. Default false (UNCONFIRMED). */
  vqlAngleNotEquals?: boolean;
  /** `NOT LIKE`, `NOT CONTAINS` (and `NOT IN` with vqlInValueLists). Default false (UNCONFIRMED). */
  vqlNotOperator?: boolean;
  /** Delete Object Records: accept `ID`/`Id` as the CSV header. Default false (UNCONFIRMED). */
  csvHeaderCaseInsensitive?: boolean;
  /** §5.5 Client ID Filtering: only these client IDs may call (others get errorTypes.clientIdRefused). Default: off. */
  clientIdFiltering?: string[];
}

export interface FakeVaultInfo {
  id: number;
  name: string;
  /** `127.0.0.1:<port>` */
  dns: string;
  /** `https://127.0.0.1:<port>` */
  origin: string;
  port: number;
  sandboxOf: number | null;
  active: boolean;
}

export type RequestAuthKind = 'session' | 'token' | 'none';

export interface RequestLogEntry {
  vaultId: number;
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Which kind of credential the request PRESENTED (valid or not). */
  auth: RequestAuthKind;
  at: Date;
  /** The query string, including '?', or ''. */
  query: string;
  /**
   * Client ID as Vault logs it (§5.5): `client_id` query param wins over the
   * `X-VaultAPI-ClientID` header; absent ⇒ 'unknown'; malformed ⇒ 'invalid_client_id'.
   */
  clientId: string;
  /** Raw X-VaultAPI-ClientID header, if any. */
  clientIdHeader: string | null;
  referenceId: string | null;
  executionId: string;
  /** Filled when the response is sent; 'DROPPED' / 'HTTP_500' for those faults. */
  responseStatus?: string;
  errorType?: string;
}

/** An OAuth 2.0 / OpenID Connect profile of the domain (docs/vault-api.md §3.4, §3.5). */
export interface FakeSsoProfileSeed {
  /** The `oath_oidc_profile_id`, e.g. `_oidc-acme-okta`. */
  id: string;
  label: string;
  description?: string;
  /**
   * Client ID mappings: the calling app's `client_id` (discovery query) → the
   * IdP client id returned as `as_client_id`, e.g. `{ 'vault-token-desk': 'vault-token-desk-desktop' }`.
   */
  clientIdMappings?: Record<string, string>;
  /** Publish `device_authorization_endpoint` in this profile's `as_metadata`. Default true. */
  deviceFlow?: boolean;
  /** `use_adal`. Default false. */
  useAdal?: boolean;
  /** `use_msal`, sent only with `X-VaultAPI-AuthIncludeMsal: true`. Default false. */
  useMsal?: boolean;
  /** `oauthProviderType`; Veeva's value set is UNCONFIRMED. Default `okta`. */
  oauthProviderType?: string;
  /**
   * `host:port` for `vault_session_endpoint` instead of the login host (lets a
   * client's "session endpoint must be on the login host" guard be tested).
   */
  sessionEndpointHost?: string;
}

export type IdpGrantType = 'authorization_code' | 'refresh_token' | 'urn:ietf:params:oauth:grant-type:device_code';

/** A public client registered at the fake IdP (no secret: RFC 8252 §8.4 native apps). */
export interface FakeIdpClientSeed {
  clientId: string;
  /** Grants the client may use. Default all three. */
  grantTypes?: IdpGrantType[];
  /** Path of the loopback redirect URI (RFC 8252 §7.3, any port). Default `/callback`. */
  redirectPath?: string;
}

export interface FakeVault {
  vaults: FakeVaultInfo[];
  /** `127.0.0.1:<port>` of the login host (discovery and the OAuth session endpoint, §3.4/§3.5). */
  loginHost: string;
  /** The fake identity provider and its test-only faults. */
  idp: FakeIdp;
  /** Calls to the login host, in order (no secrets). */
  loginHostRequests: LoginHostLogEntry[];
  caPath: string;
  caPem: string;
  state: FakeVaultState;
  faults: FaultInjector;
  requestLog: RequestLogEntry[];
  close(): Promise<void>;
}
