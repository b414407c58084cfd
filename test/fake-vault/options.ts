/**
 * Defaults for every option of the fake, in one place. Each UNCONFIRMED
 * behaviour cites the docs/vault-api.md section that leaves it open.
 */
import type { FakeSsoOptions } from './idp/types';
import type { FakeSecurityProfileSeed, FakeVaultOptions } from './types';

/**
 * Error types the docs do not state. Every one can be overridden with
 * `options.errorTypes`.
 */
export interface UnconfirmedErrorTypes {
  /** §1.2: 26th active token for a user. */
  tooManyTokens: string;
  /** §1.2: target is a VeevaID user. */
  veevaIdTarget: string;
  /** §1.2: expiry later than the profile's maximum lifetime. */
  expiryBeyondMax: string;
  /** §1.2: expiry omitted when the profile forbids never-expiring tokens. */
  expiryRequired: string;
  /** §1.2: expiry in the past. */
  expiryInPast: string;
  /** §1.2: expiry not `YYYY-MM-DDTHH:MM:SSZ` nor `YYYY-MM-DD`. */
  expiryMalformed: string;
  /** §1.7: name__v missing ("assumed" PARAMETER_REQUIRED). */
  nameRequired: string;
  /** §1.2: name__v too long / not a string. */
  nameInvalid: string;
  /** §1.1/§1.5: acting on another user's token without permission. */
  noTokenPermission: string;
  /** §1.2/§4: user_id unknown or not a member of the Vault. */
  unknownUser: string;
  /** §1.2: unknown body parameter (incl. expiry_date__sys when rejected). */
  unknownTokenParam: string;
  /** §5.2: expired / deleted / unknown API access token. */
  invalidToken: string;
  /** §1.4: no sandbox with that name. */
  sandboxNotFound: string;
  /** §1.4: caller is not a user of the sandbox. */
  notSandboxMember: string;
  /** §3.3: user can use no Vault at all. */
  noAvailableVault: string;
  /** §2.3: next_page UUID unknown or expired. */
  queryCursorNotFound: string;
  /**
   * §2.1 / §4 (second-read findings "Only documented fields"): a field the
   * query target does not document, in SELECT / WHERE / ORDER BY. The docs
   * give no type for it (Errors page: INVALID_DATA "Invalid data provided",
   * INCORRECT_QUERY_SYNTAX_ERROR "incorrect query syntax"). UNCONFIRMED.
   */
  unknownQueryField: string;
  /** §2.2: unknown query target. */
  unknownQueryTarget: string;
  /** §2.2: bad literal in WHERE (e.g. an unparseable date). */
  invalidFilterValue: string;
  /** §1.5: record ID unknown (retrieve / delete). */
  recordNotFound: string;
  /** §1.5: another user's token, without permission (retrieve). */
  recordNotVisible: string;
  /** §1.5: the same ID twice in one delete batch. */
  duplicateRecordId: string;
  /** §1.5: deleting a token that is already deleted. */
  alreadyDeleted: string;
  /** §1.5: more than 500 records in one delete batch. */
  tooManyRecords: string;
  /** §3.8: keep-alive / end-session with an access token (when tokenOnSessionEndpoints = 'reject'). */
  tokenOnSessionEndpoint: string;
  /** §3.9: token endpoint called with a version below minTokenApiVersion. */
  versionTooOld: string;
  /** §4: malformed parameter on GET /objects/users (limit, start, sort, vaults). */
  invalidUsersParam: string;
  /** §5.2: a required parameter or body is missing (q, delete records, a record's id). */
  missingParameter: string;
  /** §5.2: request body / paging parameters unusable (bad JSON, wrong Content-Type, bad pagesize, q too long). */
  invalidRequest: string;
  /** §3.2: /auth without a user name. */
  missingUsername: string;
  /** §3.9: a version that GET /api/ does not list (e.g. /api/v99.1/…). UNCONFIRMED. */
  unknownApiVersion: string;
  /** §1.5 (Delete Object Records `idParam`): a field api_access_token__sys has no unique value for. UNCONFIRMED. */
  unsupportedIdParam: string;
  /** §5.5: Client ID Filtering refused the call's client ID. UNCONFIRMED. */
  clientIdRefused: string;
  /**
   * §3.4 / §5.2: the OAuth session endpoint refuses the IdP token (inactive at
   * introspection, expired, other client_id, unknown user, user not on that
   * profile). Not in Veeva's list; Boomi's connector treats EXPIRED_TOKEN /
   * INVALID_TOKEN as IdP-token problems. UNCONFIRMED.
   */
  ssoTokenRefused: string;
  /** §3.4: `/auth/oauth/session/{id}` for a profile id the domain does not have. UNCONFIRMED. */
  ssoUnknownProfile: string;
  /** §3.4: the session endpoint could not reach the IdP's introspection endpoint (sent as EXCEPTION). UNCONFIRMED. */
  ssoIntrospectionFailed: string;
  /** §3.5: discovery for a user name Vault does not know, with sso.discoveryUnknownUser 'failure'. UNCONFIRMED. */
  discoveryUnknownUser: string;
}

export const DEFAULT_ERROR_TYPES: UnconfirmedErrorTypes = {
  tooManyTokens: 'OPERATION_NOT_ALLOWED',
  veevaIdTarget: 'OPERATION_NOT_ALLOWED',
  expiryBeyondMax: 'INVALID_DATA',
  expiryRequired: 'PARAMETER_REQUIRED',
  expiryInPast: 'INVALID_DATA',
  expiryMalformed: 'INVALID_DATA',
  nameRequired: 'PARAMETER_REQUIRED',
  nameInvalid: 'INVALID_DATA',
  noTokenPermission: 'INSUFFICIENT_ACCESS',
  unknownUser: 'INVALID_DATA',
  unknownTokenParam: 'ATTRIBUTE_NOT_SUPPORTED',
  invalidToken: 'INVALID_SESSION_ID',
  sandboxNotFound: 'INVALID_DATA',
  notSandboxMember: 'INSUFFICIENT_ACCESS',
  noAvailableVault: 'INSUFFICIENT_ACCESS',
  queryCursorNotFound: 'INVALID_DATA',
  unknownQueryField: 'INVALID_DATA',
  unknownQueryTarget: 'INCORRECT_QUERY_SYNTAX_ERROR',
  invalidFilterValue: 'INVALID_FILTER',
  recordNotFound: 'INVALID_DATA',
  recordNotVisible: 'INSUFFICIENT_ACCESS',
  duplicateRecordId: 'INVALID_DATA',
  alreadyDeleted: 'INVALID_DATA',
  tooManyRecords: 'INVALID_DATA',
  tokenOnSessionEndpoint: 'OPERATION_NOT_ALLOWED',
  versionTooOld: 'METHOD_NOT_SUPPORTED',
  invalidUsersParam: 'INVALID_DATA',
  missingParameter: 'PARAMETER_REQUIRED',
  invalidRequest: 'INVALID_DATA',
  missingUsername: 'USERNAME_OR_PASSWORD_INCORRECT',
  unknownApiVersion: 'MALFORMED_URL',
  unsupportedIdParam: 'INVALID_DATA',
  clientIdRefused: 'INSUFFICIENT_ACCESS',
  ssoTokenRefused: 'INVALID_TOKEN',
  ssoUnknownProfile: 'INVALID_DATA',
  ssoIntrospectionFailed: 'UNEXPECTED_ERROR',
  discoveryUnknownUser: 'USERNAME_OR_PASSWORD_INCORRECT',
};

/** Built-in profiles; `options.securityProfiles` is merged over them by name. */
export const DEFAULT_SECURITY_PROFILES: Required<FakeSecurityProfileSeed>[] = [
  {
    name: 'vault_owner__v',
    canManageTokens: true,
    maxTokenLifetimeDays: null,
    allowNeverExpire: true,
    apiAccess: true,
  },
  {
    name: 'system_admin__v',
    canManageTokens: true,
    maxTokenLifetimeDays: 365,
    allowNeverExpire: true,
    apiAccess: true,
  },
  {
    name: 'business_admin__v',
    canManageTokens: false,
    maxTokenLifetimeDays: 180,
    allowNeverExpire: false,
    apiAccess: true,
  },
  {
    name: 'document_user__v',
    canManageTokens: false,
    maxTokenLifetimeDays: 90,
    allowNeverExpire: false,
    apiAccess: true,
  },
  { name: 'read_only__v', canManageTokens: false, maxTokenLifetimeDays: 90, allowNeverExpire: false, apiAccess: false },
];

/** Defaults for a profile name that a user refers to but nobody defined. */
export const UNKNOWN_PROFILE_DEFAULTS = {
  canManageTokens: false,
  maxTokenLifetimeDays: 90,
  allowNeverExpire: false,
  apiAccess: true,
} as const;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const DEFAULT_API_VERSIONS = [
  'v21.1',
  'v21.2',
  'v21.3',
  'v22.1',
  'v22.2',
  'v22.3',
  'v23.1',
  'v23.2',
  'v23.3',
  'v24.1',
  'v24.2',
  'v24.3',
  'v25.1',
  'v25.2',
  'v25.3',
  'v26.1',
  'v26.2',
  'v26.3',
];

export interface ResolvedOptions {
  now: () => Date;
  idleTimeoutMs: number;
  sessionMaxAgeMs: number;
  latencyMs: number;
  host: '127.0.0.1' | 'localhost';
  burstLimit: number;
  burstWindowMs: number;
  burstDelayMs: number;
  authBurstLimit: number;
  authBurstDelayMs: number;
  inactiveStatus: string;
  expiredTokensReadInactive: boolean;
  deletedTokens: 'inactive' | 'hidden';
  neverExpiresValue: string | null;
  picklistsAsArrays: boolean;
  userReferencesAs: 'number' | 'string';
  expiryDateSysParam: 'reject' | 'accept' | 'ignore';
  unknownTokenParams: 'reject' | 'ignore';
  acceptFractionalExpirySeconds: boolean;
  maxTokenNameLength: number;
  sandboxLookup: 'own-sandboxes' | 'domain';
  versionsRequireAuth: boolean;
  tokenOnSessionEndpoints: 'no-op' | 'reject';
  truncatedSessionIdForTokens: boolean;
  authFailureErrorType: string;
  minTokenApiVersion: string | null;
  apiVersions: string[];
  queryResultTtlMs: number;
  defaultPageSize: number;
  maxPageSize: number;
  usersListDefaultScope: 'current' | 'all';
  extraQueryFields: Record<string, ReadonlySet<string>>;
  acceptRawTokenAuthorization: boolean;
  queryGetMethod: boolean;
  methodOverride: boolean;
  acceptUnknownApiVersions: boolean;
  vqlCaseInsensitiveNames: boolean;
  vqlUnknownEscapes: 'reject' | 'literal';
  vqlLikeUnderscoreWildcard: boolean;
  vqlInValueLists: boolean;
  vqlAngleNotEquals: boolean;
  vqlNotOperator: boolean;
  csvHeaderCaseInsensitive: boolean;
  clientIdFiltering: ReadonlySet<string> | null;
  errorTypes: UnconfirmedErrorTypes;
  sso: Required<FakeSsoOptions>;
}

export function resolveOptions(o: FakeVaultOptions): ResolvedOptions {
  return {
    now: o.now ?? (() => new Date()),
    // docs/vault-api.md §3.7 + second-read findings: set per domain (10 min – 8 h); Vault Help gives 20 min as the default.
    idleTimeoutMs: o.idleTimeoutMs ?? 20 * MINUTE,
    // §3.7: 48 h hard cap.
    sessionMaxAgeMs: o.sessionMaxAgeMs ?? 48 * HOUR,
    latencyMs: o.latencyMs ?? 0,
    host: o.host ?? '127.0.0.1',
    // §5.3: the limit is per Vault (read it from X-VaultAPI-BurstLimit); 2000 per 5 min is the v9 default (R-v9), assumed.
    burstLimit: o.burstLimit ?? 2000,
    burstWindowMs: o.burstWindowMs ?? 5 * MINUTE,
    burstDelayMs: o.burstDelayMs ?? 500,
    // §5.3: the number of /auth calls allowed per minute is not documented: UNCONFIRMED.
    authBurstLimit: o.authBurstLimit ?? 20,
    // §5.3: the auth delay amount is UNCONFIRMED; same 500 ms as the burst delay.
    authBurstDelayMs: o.authBurstDelayMs ?? 500,
    // §2.1: inactive status value UNCONFIRMED.
    inactiveStatus: o.inactiveStatus ?? 'inactive__v',
    // §2.1: whether expired tokens flip status UNCONFIRMED; default: they read inactive.
    expiredTokensReadInactive: o.expiredTokensReadInactive ?? true,
    // §1.1/§1.5: deleted ⇒ inactive (docs), still visible by default.
    deletedTokens: o.deletedTokens ?? 'inactive',
    // §2.1: never-expiring tokens' expiry in results UNCONFIRMED; default null.
    neverExpiresValue: o.neverExpiresValue === undefined ? null : o.neverExpiresValue,
    // Retrieve Object Record samples return picklists as arrays (["active__v"]); VQL on
    // api_access_token__sys: UNCONFIRMED (§2.1 only shows the filter). Default arrays.
    picklistsAsArrays: o.picklistsAsArrays ?? true,
    // §4: ID equality / type UNCONFIRMED; Vault object samples use numbers for user refs.
    userReferencesAs: o.userReferencesAs ?? 'number',
    // §1.2: acceptance of expiry_date__sys UNCONFIRMED.
    expiryDateSysParam: o.expiryDateSysParam ?? 'reject',
    // §1.2: other, undocumented body parameters: refused (UNCONFIRMED).
    unknownTokenParams: o.unknownTokenParams ?? 'reject',
    // §1.2: fractional seconds UNCONFIRMED.
    acceptFractionalExpirySeconds: o.acceptFractionalExpirySeconds ?? false,
    // §1.2: no maximum length is documented for name__v: UNCONFIRMED.
    maxTokenNameLength: o.maxTokenNameLength ?? 128,
    // §1.4: "presumably called from the parent production Vault" UNCONFIRMED.
    sandboxLookup: o.sandboxLookup ?? 'own-sandboxes',
    // §3.8: the sample sends Authorization; whether it is required is UNCONFIRMED.
    versionsRequireAuth: o.versionsRequireAuth ?? true,
    // §3.8: keep-alive / end-session with a token UNCONFIRMED.
    tokenOnSessionEndpoints: o.tokenOnSessionEndpoints ?? 'no-op',
    // §5.4: TruncatedSessionId on token calls UNCONFIRMED.
    truncatedSessionIdForTokens: o.truncatedSessionIdForTokens ?? false,
    // §3.2 / E-env failed-authentication example: top-level "errorType": "AUTHENTICATION_FAILED".
    authFailureErrorType: o.authFailureErrorType ?? 'AUTHENTICATION_FAILED',
    // §3.9: earliest token version UNCONFIRMED; off by default.
    minTokenApiVersion: o.minTokenApiVersion ?? null,
    // §3.8 / §3.9: which versions a Vault lists is the fake's choice (v21.1 – v26.3, newest = beta).
    apiVersions: o.apiVersions ?? DEFAULT_API_VERSIONS,
    // §2.3: 72 h (not guaranteed).
    queryResultTtlMs: o.queryResultTtlMs ?? 72 * HOUR,
    // §2.3 (Q-pag): default page size 1000. The largest PAGESIZE honoured is UNCONFIRMED (1000 assumed).
    defaultPageSize: o.defaultPageSize ?? 1000,
    maxPageSize: o.maxPageSize ?? 1000,
    // §4 (U-all): the scope of GET /objects/users without `vaults` is UNCONFIRMED.
    usersListDefaultScope: o.usersListDefaultScope ?? 'current',
    // ---- strict by default; each of these only loosens (README table) ----
    // §2.1 / §4 second-read findings: targets answer their documented fields only.
    extraQueryFields: resolveExtraFields(o.extraQueryFields),
    // §1.1 / T-exp: "accepts the access token value preceded by the Bearer keyword".
    acceptRawTokenAuthorization: o.acceptRawTokenAuthorization ?? false,
    // §2.2 / §2.3: Submitting a Query is POST; pagination URLs are called "with a POST request".
    queryGetMethod: o.queryGetMethod ?? false,
    // §1.5: POST …?_method=DELETE for clients that cannot send a DELETE body. Stated in
    // docs/vault-api.md §1.5 but not found in the Delete Object Records pages read: UNCONFIRMED.
    methodOverride: o.methodOverride ?? true,
    // §3.9: versions not listed by GET /api/ are refused; the error type is UNCONFIRMED.
    acceptUnknownApiVersions: o.acceptUnknownApiVersions ?? false,
    // VQL Syntax Basics: field and object names are case sensitive (lower case);
    // Notation Conventions: true/false/null "must be in lowercase".
    vqlCaseInsensitiveNames: o.vqlCaseInsensitiveNames ?? false,
    // VQL Syntax Basics, Special Characters: a backslash "returns error unless used in escape sequence".
    vqlUnknownEscapes: o.vqlUnknownEscapes ?? 'reject',
    // VQL Syntax Basics names only % as the LIKE wildcard; `_` as a one-character
    // wildcard is UNCONFIRMED (off: `_` is a literal character).
    vqlLikeUnderscoreWildcard: o.vqlLikeUnderscoreWildcard ?? false,
    // VQL Logical Operators: "The IN operator can only be used for inner join relationship
    // queries"; value lists use CONTAINS. IN with literals is refused unless enabled.
    vqlInValueLists: o.vqlInValueLists ?? false,
    // `<>` is not among the operators in the VQL pages read: UNCONFIRMED, refused by default.
    vqlAngleNotEquals: o.vqlAngleNotEquals ?? false,
    // NOT LIKE / NOT CONTAINS: not in the VQL pages read: UNCONFIRMED, refused by default.
    vqlNotOperator: o.vqlNotOperator ?? false,
    // §1.5: the CSV header names the field `id`; field names are case sensitive (VQL Syntax
    // Basics), so `ID` is refused. Whether Vault's CSV reader folds case: UNCONFIRMED.
    csvHeaderCaseInsensitive: o.csvHeaderCaseInsensitive ?? false,
    // §5.5: Client ID Filtering is a per-Vault setting, off unless a test lists the allowed IDs.
    clientIdFiltering: o.clientIdFiltering ? new Set(o.clientIdFiltering) : null,
    errorTypes: { ...DEFAULT_ERROR_TYPES, ...o.errorTypes },
    sso: resolveSsoOptions(o.sso ?? {}),
  };
}

/** Defaults of the fake IdP and login host (idp/types.ts); the RFC or doc each follows is named. */
export function resolveSsoOptions(o: FakeSsoOptions): Required<FakeSsoOptions> {
  return {
    idpPort: o.idpPort ?? 0,
    loginHostPort: o.loginHostPort ?? 0,
    // RFC 6749 §4.1.2: codes "MUST expire shortly", 10 min at most RECOMMENDED; 60 s is common practice.
    codeLifetimeMs: o.codeLifetimeMs ?? 60_000,
    // RFC 6749 §5.1 `expires_in`: the IdP's choice; one hour is the usual default (Okta, Entra ID).
    accessTokenLifetimeMs: o.accessTokenLifetimeMs ?? HOUR,
    refreshTokenLifetimeMs: o.refreshTokenLifetimeMs === undefined ? null : o.refreshTokenLifetimeMs,
    // RFC 6749 §6 "MAY issue a new refresh token"; OAuth 2.0 Security BCP §4.14.2: rotate for public clients.
    refreshTokenRotation: o.refreshTokenRotation ?? true,
    // OIDC Core §11: offline_access asks for a refresh token.
    issueRefreshTokens: o.issueRefreshTokens ?? 'offline_access',
    idTokens: o.idTokens ?? true,
    // RFC 8628 §3.2: expires_in is the server's choice (its example: 1800); interval defaults to 5 s.
    deviceCodeLifetimeMs: o.deviceCodeLifetimeMs ?? 10 * MINUTE,
    deviceIntervalSeconds: o.deviceIntervalSeconds ?? 5,
    deviceFlow: o.deviceFlow ?? true,
    // RFC 9207 §2: the authorization response carries `iss`.
    authorizationResponseIss: o.authorizationResponseIss ?? true,
    // §3.5: the docs are silent on unknown user names; answering 'password' reveals nothing. UNCONFIRMED.
    discoveryUnknownUser: o.discoveryUnknownUser ?? 'password',
  };
}

function resolveExtraFields(extra: FakeVaultOptions['extraQueryFields']): Record<string, ReadonlySet<string>> {
  const out: Record<string, ReadonlySet<string>> = {};
  for (const [target, fields] of Object.entries(extra ?? {})) if (fields) out[target] = new Set(fields);
  return out;
}

/** Compare `vMM.m` version strings numerically. */
export function compareVersions(a: string, b: string): number {
  const pa = a.slice(1).split('.').map(Number);
  const pb = b.slice(1).split('.').map(Number);
  return (pa[0] ?? 0) - (pb[0] ?? 0) || (pa[1] ?? 0) - (pb[1] ?? 0);
}
