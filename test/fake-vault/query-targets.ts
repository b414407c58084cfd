/**
 * VQL query targets and their fields (docs/vault-api.md §2.1, §4, and the
 * second-read findings "Only documented fields"). Each target answers its
 * documented fields only; any other field fails the whole query. Fields the
 * docs do not list but that the fake keeps data for (`hiddenFields`) are
 * answered only when a test names them in options.extraQueryFields.
 *  - api_access_token__sys (Q-tok, VQL query target "API Access Tokens"):
 *    id, name__v, user__sys, status__v, expiry_date__sys, last_used_date__sys.
 *    Hidden: the standard audit fields created/modified date/by.
 *  - user__sys (second-read findings): id, name__v, first_name__sys,
 *    last_name__sys, username__sys, email__sys, status__v. Hidden:
 *    user_type__v (normal__v | system__v), timezone__sys, locale__sys,
 *    security_profile__sys, veevaid__sys, created_date__v, modified_date__v.
 *  - users (legacy, Q-usr): the fields Retrieve User Metadata marks
 *    `"queryable": true`; everything on one page, no next_page (§2.3, §4).
 * Retrieve Object Record (§1.5, O-get: "lists all fields and values
 * configured on the object record") uses every token field, audit included.
 */
import type { ResolvedOptions } from './options';
import type { Store, TokenRecord, UserRecord, VaultRecord } from './store';
import { formatVaultDateTime } from './time';

export type FieldType = 'id' | 'string' | 'datetime' | 'picklist' | 'userref' | 'number' | 'boolean' | 'numberlist';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
}

export type RawValue = string | number | boolean | Date | number[] | null;
export type Row = Record<string, RawValue>;

export interface TargetScope {
  store: Store;
  vault: VaultRecord;
  user: UserRecord;
}

export interface QueryTarget {
  name: string;
  label: string;
  labelPlural: string;
  /** Legacy targets: no next_page/previous_page, whole result on one page (§2.3). */
  legacy: boolean;
  /** Documented queryable fields. */
  fields: Map<string, FieldDef>;
  /** Undocumented fields with data behind them: answered only via options.extraQueryFields. */
  hiddenFields: Map<string, FieldDef>;
  defaultOrder: string;
  rows(scope: TargetScope): Row[];
}

function fieldMap(defs: FieldDef[]): Map<string, FieldDef> {
  return new Map(defs.map((d) => [d.name, d]));
}

/** Q-tok: exactly the six queryable fields of the API Access Tokens query target. */
export const TOKEN_QUERY_FIELDS = fieldMap([
  { name: 'id', label: 'ID', type: 'id' },
  { name: 'name__v', label: 'Name', type: 'string' },
  { name: 'user__sys', label: 'User', type: 'userref' },
  { name: 'status__v', label: 'Status', type: 'picklist' },
  { name: 'expiry_date__sys', label: 'Expiry Date', type: 'datetime' },
  { name: 'last_used_date__sys', label: 'Last Used Date', type: 'datetime' },
]);

const TOKEN_AUDIT_FIELDS = fieldMap([
  { name: 'created_date__v', label: 'Created Date', type: 'datetime' },
  { name: 'created_by__v', label: 'Created By', type: 'userref' },
  { name: 'modified_date__v', label: 'Last Modified Date', type: 'datetime' },
  { name: 'modified_by__v', label: 'Last Modified By', type: 'userref' },
]);

/** Every field of an api_access_token__sys record, for Retrieve Object Record (O-get). */
export const TOKEN_RECORD_FIELDS = new Map([...TOKEN_QUERY_FIELDS, ...TOKEN_AUDIT_FIELDS]);

/** The fields a query on `target` may use: documented ones plus those a test re-enabled. */
export function queryableFields(target: QueryTarget, options: ResolvedOptions): Map<string, FieldDef> {
  const extra = options.extraQueryFields[target.name];
  if (!extra) return target.fields;
  const out = new Map(target.fields);
  for (const name of extra) {
    const def = target.hiddenFields.get(name);
    if (def) out.set(name, def);
  }
  return out;
}

/** Status as Vault would report it (§2.1). */
export function tokenStatus(store: Store, t: TokenRecord): string {
  const life = store.lifecycle(t);
  if (life === 'deleted') return store.options.inactiveStatus;
  // docs/vault-api.md §2.1: whether expired tokens flip status is UNCONFIRMED;
  // configurable via options.expiredTokensReadInactive.
  if (life === 'expired' && store.options.expiredTokensReadInactive) return store.options.inactiveStatus;
  return 'active__v';
}

export function tokenRow(store: Store, t: TokenRecord): Row {
  return {
    id: t.id,
    name__v: t.name,
    user__sys: t.userId,
    status__v: tokenStatus(store, t),
    expiry_date__sys: t.expiresAt,
    last_used_date__sys: t.lastUsedAt,
    created_date__v: t.createdAt,
    created_by__v: t.createdBy,
    modified_date__v: t.modifiedAt,
    modified_by__v: t.modifiedBy,
  };
}

/**
 * §1.5: users see only their own tokens; token managers see everyone's.
 * §1.5: deleted tokens stay as inactive records unless options.deletedTokens = 'hidden'.
 */
export function tokenVisible(store: Store, t: TokenRecord, vault: VaultRecord, user: UserRecord): boolean {
  if (t.vaultId !== vault.id) return false;
  if (t.deletedAt && store.options.deletedTokens === 'hidden') return false;
  return t.userId === user.id || store.profileOf(user).canManageTokens;
}

const tokenTarget: QueryTarget = {
  name: 'api_access_token__sys',
  label: 'API Access Token',
  labelPlural: 'API Access Tokens',
  legacy: false,
  fields: TOKEN_QUERY_FIELDS,
  hiddenFields: TOKEN_AUDIT_FIELDS,
  defaultOrder: 'id',
  rows: ({ store, vault, user }) =>
    [...store.tokens.values()].filter((t) => tokenVisible(store, t, vault, user)).map((t) => tokenRow(store, t)),
};

const userSysTarget: QueryTarget = {
  name: 'user__sys',
  label: 'User',
  labelPlural: 'Users',
  legacy: false,
  fields: fieldMap([
    { name: 'id', label: 'ID', type: 'userref' },
    { name: 'name__v', label: 'Name', type: 'string' },
    { name: 'username__sys', label: 'User Name', type: 'string' },
    { name: 'email__sys', label: 'Email', type: 'string' },
    { name: 'first_name__sys', label: 'First Name', type: 'string' },
    { name: 'last_name__sys', label: 'Last Name', type: 'string' },
    { name: 'status__v', label: 'Status', type: 'picklist' },
  ]),
  hiddenFields: fieldMap([
    { name: 'user_type__v', label: 'User Type', type: 'picklist' },
    { name: 'timezone__sys', label: 'Time Zone', type: 'string' },
    { name: 'locale__sys', label: 'Locale', type: 'string' },
    { name: 'security_profile__sys', label: 'Security Profile', type: 'string' },
    { name: 'veevaid__sys', label: 'VeevaID User', type: 'boolean' },
    { name: 'created_date__v', label: 'Created Date', type: 'datetime' },
    { name: 'modified_date__v', label: 'Last Modified Date', type: 'datetime' },
  ]),
  defaultOrder: 'id',
  rows: ({ store, vault }) =>
    store.membersOf(vault.id).map((u) => ({
      id: u.id,
      name__v: `${u.firstName} ${u.lastName}`,
      username__sys: u.username,
      email__sys: u.email,
      first_name__sys: u.firstName,
      last_name__sys: u.lastName,
      status__v: u.active ? 'active__v' : store.options.inactiveStatus,
      user_type__v: u.systemUser ? 'system__v' : 'normal__v',
      timezone__sys: u.timezone,
      locale__sys: u.locale,
      security_profile__sys: u.securityProfile,
      veevaid__sys: u.veevaId,
      created_date__v: u.createdAt,
      modified_date__v: u.modifiedAt,
    })),
};

/** Q-usr + Retrieve User Metadata: every user field marked `"queryable": true`. */
const LEGACY_USER_FIELDS = fieldMap([
  { name: 'id', label: 'ID', type: 'number' },
  { name: 'user_name__v', label: 'User Name', type: 'string' },
  { name: 'user_first_name__v', label: 'First Name', type: 'string' },
  { name: 'user_last_name__v', label: 'Last Name', type: 'string' },
  { name: 'user_email__v', label: 'Email', type: 'string' },
  { name: 'user_timezone__v', label: 'Time Zone', type: 'string' },
  { name: 'user_locale__v', label: 'Locale', type: 'string' },
  { name: 'user_title__v', label: 'Title', type: 'string' },
  { name: 'office_phone__v', label: 'Office Phone', type: 'string' },
  { name: 'fax__v', label: 'Fax', type: 'string' },
  { name: 'mobile_phone__v', label: 'Mobile Phone', type: 'string' },
  { name: 'site__v', label: 'Site', type: 'string' },
  { name: 'is_domain_admin__v', label: 'Domain Admin', type: 'boolean' },
  { name: 'active__v', label: 'Active', type: 'boolean' },
  { name: 'domain_active__v', label: 'Domain Active', type: 'boolean' },
  { name: 'security_policy_id__v', label: 'Security Policy', type: 'number' },
  { name: 'user_needs_to_change_password__v', label: 'Needs To Change Password', type: 'boolean' },
  { name: 'created_date__v', label: 'Created Date', type: 'datetime' },
  { name: 'created_by__v', label: 'Created By', type: 'number' },
  { name: 'modified_date__v', label: 'Last Modified Date', type: 'datetime' },
  { name: 'modified_by__v', label: 'Last Modified By', type: 'number' },
  { name: 'domain_id__v', label: 'Domain', type: 'number' },
  { name: 'vault_id__v', label: 'Vaults', type: 'numberlist' },
  { name: 'federated_id__v', label: 'Federated ID', type: 'string' },
  { name: 'salesforce_user_name__v', label: 'Salesforce User Name', type: 'string' },
  { name: 'last_login__v', label: 'Last Login', type: 'datetime' },
  { name: 'medidata_uuid__v', label: 'Medidata UUID', type: 'string' },
  { name: 'user_language__v', label: 'Language', type: 'string' },
  { name: 'company__v', label: 'Company', type: 'string' },
  { name: 'security_profile__v', label: 'Security Profile', type: 'string' },
  { name: 'license_type__v', label: 'License Type', type: 'string' },
]);

/** System user ID, the creator of seeded users (Vault object samples use `created_by__v: 1`). */
const SYSTEM_USER_ID = 1;

function legacyUserRow(store: Store, u: UserRecord): Row {
  return {
    id: u.id,
    user_name__v: u.username,
    user_first_name__v: u.firstName,
    user_last_name__v: u.lastName,
    user_email__v: u.email,
    user_timezone__v: u.timezone,
    user_locale__v: u.locale,
    user_title__v: null,
    office_phone__v: null,
    fax__v: null,
    mobile_phone__v: null,
    site__v: null,
    is_domain_admin__v: store.profileOf(u).canManageTokens,
    active__v: u.active,
    domain_active__v: u.active,
    security_policy_id__v: null,
    user_needs_to_change_password__v: u.passwordChangeRequired,
    created_date__v: u.createdAt,
    created_by__v: SYSTEM_USER_ID,
    modified_date__v: u.modifiedAt,
    modified_by__v: SYSTEM_USER_ID,
    domain_id__v: null,
    vault_id__v: [...store.vaults.values()].filter((v) => store.isMember(u, v.id)).map((v) => v.id),
    federated_id__v: null,
    salesforce_user_name__v: null,
    last_login__v: u.lastLoginAt,
    medidata_uuid__v: null,
    user_language__v: u.locale.split('_')[0] ?? 'en',
    company__v: null,
    security_profile__v: u.securityProfile,
    license_type__v: u.licenseType,
  };
}

const legacyUsersTarget: QueryTarget = {
  name: 'users',
  label: 'User',
  labelPlural: 'Users',
  legacy: true,
  fields: LEGACY_USER_FIELDS,
  hiddenFields: new Map(),
  defaultOrder: 'id',
  rows: ({ store, vault }) => store.membersOf(vault.id).map((u) => legacyUserRow(store, u)),
};

export const QUERY_TARGETS = new Map<string, QueryTarget>(
  [tokenTarget, userSysTarget, legacyUsersTarget].map((t) => [t.name, t]),
);

/** JSON value of a field as Vault returns it. */
export function formatValue(def: FieldDef, value: RawValue, options: ResolvedOptions): unknown {
  switch (def.type) {
    case 'datetime':
      if (value === null) return def.name === 'expiry_date__sys' ? options.neverExpiresValue : null;
      return value instanceof Date ? formatVaultDateTime(value) : value;
    case 'picklist':
      if (value === null) return options.picklistsAsArrays ? [] : null;
      return options.picklistsAsArrays ? [value] : value;
    case 'userref':
      if (value === null) return null;
      return options.userReferencesAs === 'string' ? String(value) : Number(value);
    case 'numberlist':
      return value ?? [];
    default:
      return value;
  }
}

export function formatRow(
  target: { fields: Map<string, FieldDef> },
  row: Row,
  fields: string[],
  options: ResolvedOptions,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const def = target.fields.get(f);
    if (def) out[f] = formatValue(def, row[f] ?? null, options);
  }
  return out;
}
