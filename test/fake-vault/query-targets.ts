/**
 * VQL query targets and their fields (vault-api.md §2.1, §4):
 *  - api_access_token__sys: documented fields (§2.1) plus the standard
 *    created/modified audit fields.
 *  - user__sys: field names UNCONFIRMED (§4); chosen here: id, name__v,
 *    username__sys, email__sys, first_name__sys, last_name__sys, status__v,
 *    user_type__v (normal__v | system__v), timezone__sys, locale__sys,
 *    security_profile__sys, veevaid__sys, created_date__v, modified_date__v.
 *  - users (legacy): legacy field names, everything on one page, no
 *    next_page (§2.3, §4).
 * The same token fields serve Retrieve Object Record (§1.5).
 */
import type { ResolvedOptions } from './options';
import type { Store, TokenRecord, UserRecord, VaultRecord } from './store';
import { formatVaultDateTime } from './time';

export type FieldType = 'id' | 'string' | 'datetime' | 'picklist' | 'userref' | 'number' | 'boolean';

export interface FieldDef {
  name: string;
  label: string;
  type: FieldType;
}

export type RawValue = string | number | boolean | Date | null;
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
  fields: Map<string, FieldDef>;
  defaultOrder: string;
  rows(scope: TargetScope): Row[];
}

function fieldMap(defs: FieldDef[]): Map<string, FieldDef> {
  return new Map(defs.map((d) => [d.name, d]));
}

export const TOKEN_FIELDS = fieldMap([
  { name: 'id', label: 'ID', type: 'id' },
  { name: 'name__v', label: 'Name', type: 'string' },
  { name: 'user__sys', label: 'User', type: 'userref' },
  { name: 'status__v', label: 'Status', type: 'picklist' },
  { name: 'expiry_date__sys', label: 'Expiry Date', type: 'datetime' },
  { name: 'last_used_date__sys', label: 'Last Used Date', type: 'datetime' },
  { name: 'created_date__v', label: 'Created Date', type: 'datetime' },
  { name: 'created_by__v', label: 'Created By', type: 'userref' },
  { name: 'modified_date__v', label: 'Last Modified Date', type: 'datetime' },
  { name: 'modified_by__v', label: 'Last Modified By', type: 'userref' },
]);

/** Status as Vault would report it (§2.1). */
export function tokenStatus(store: Store, t: TokenRecord): string {
  const life = store.lifecycle(t);
  if (life === 'deleted') return store.options.inactiveStatus;
  // vault-api.md §2.1: whether expired tokens flip status is UNCONFIRMED;
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
  fields: TOKEN_FIELDS,
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

const legacyUsersTarget: QueryTarget = {
  name: 'users',
  label: 'User',
  labelPlural: 'Users',
  legacy: true,
  fields: fieldMap([
    { name: 'id', label: 'ID', type: 'number' },
    { name: 'user_name__v', label: 'User Name', type: 'string' },
    { name: 'user_first_name__v', label: 'First Name', type: 'string' },
    { name: 'user_last_name__v', label: 'Last Name', type: 'string' },
    { name: 'user_email__v', label: 'Email', type: 'string' },
    { name: 'user_timezone__v', label: 'Time Zone', type: 'string' },
    { name: 'user_locale__v', label: 'Locale', type: 'string' },
    { name: 'security_profile__v', label: 'Security Profile', type: 'string' },
    { name: 'license_type__v', label: 'License Type', type: 'string' },
    { name: 'active__v', label: 'Active', type: 'boolean' },
    { name: 'created_date__v', label: 'Created Date', type: 'datetime' },
    { name: 'modified_date__v', label: 'Last Modified Date', type: 'datetime' },
    { name: 'last_login__v', label: 'Last Login', type: 'datetime' },
  ]),
  defaultOrder: 'id',
  rows: ({ store, vault }) =>
    store.membersOf(vault.id).map((u) => ({
      id: u.id,
      user_name__v: u.username,
      user_first_name__v: u.firstName,
      user_last_name__v: u.lastName,
      user_email__v: u.email,
      user_timezone__v: u.timezone,
      user_locale__v: u.locale,
      security_profile__v: u.securityProfile,
      license_type__v: u.licenseType,
      active__v: u.active,
      created_date__v: u.createdAt,
      modified_date__v: u.modifiedAt,
      last_login__v: u.lastLoginAt,
    })),
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
    default:
      return value;
  }
}

export function formatRow(target: { fields: Map<string, FieldDef> }, row: Row, fields: string[], options: ResolvedOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) {
    const def = target.fields.get(f);
    if (def) out[f] = formatValue(def, row[f] ?? null, options);
  }
  return out;
}
