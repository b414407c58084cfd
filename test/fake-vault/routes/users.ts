/**
 * Users (docs/vault-api.md §3.8 whoami, §4): GET /objects/users/me,
 * GET /objects/users/{id}, GET /objects/users (legacy, domain-level list).
 */
import { VaultError, successBody } from '../errors';
import type { Store, UserRecord, VaultRecord } from '../store';
import { formatVaultDateTime } from '../time';
import { requirePrincipal, type Reply, type RequestContext } from './context';

function flag(q: URLSearchParams, name: string, dflt: boolean): boolean {
  const v = q.get(name);
  return v === null ? dflt : v.toLowerCase() !== 'false';
}

/** Legacy user shape (`users[].user`). */
export function legacyUserJson(
  store: Store,
  u: UserRecord,
  vault: VaultRecord,
  q: URLSearchParams,
): Record<string, unknown> {
  const json: Record<string, unknown> = {
    id: u.id,
    user_name__v: u.username,
    user_first_name__v: u.firstName,
    user_last_name__v: u.lastName,
    user_email__v: u.email,
    user_timezone__v: u.timezone,
    user_locale__v: u.locale,
    user_language__v: u.locale.split('_')[0] ?? 'en',
    security_profile__v: u.securityProfile,
    license_type__v: u.licenseType,
    active__v: u.active,
    domain_active__v: u.active,
    is_domain_admin__v: store.profileOf(u).canManageTokens,
    vault_id__v: vault.id,
    created_date__v: formatVaultDateTime(u.createdAt),
    modified_date__v: formatVaultDateTime(u.modifiedAt),
    last_login__v: u.lastLoginAt ? formatVaultDateTime(u.lastLoginAt) : null,
    user_needs_to_change_password__v: u.passwordChangeRequired,
  };
  // §3.8: exclude_vault_membership defaults to true in 26.2.
  if (!flag(q, 'exclude_vault_membership', true)) {
    json.vault_membership = [...store.vaults.values()]
      .filter((v) => store.isMember(u, v.id))
      .map((v) => ({
        id: v.id,
        active__v: v.active && u.active,
        security_profile__v: u.securityProfile,
        license_type__v: u.licenseType,
      }));
  }
  return json;
}

/** GET /api/{v}/objects/users/me — works with a session or a token. */
export function handleWhoAmI(rc: RequestContext): Reply {
  const p = requirePrincipal(rc);
  return { body: successBody({ users: [{ user: legacyUserJson(rc.server.store, p.user, rc.vault, rc.query) }] }) };
}

/** GET /api/{v}/objects/users/{id} */
export function handleGetUser(rc: RequestContext): Reply {
  const { store, options } = rc.server;
  const raw = rc.params[0] ?? '';
  const user = /^\d+$/.test(raw) ? store.users.get(Number(raw)) : undefined;
  if (!user) throw new VaultError(options.errorTypes.unknownUser, `Invalid user id [${raw}].`);
  return { body: successBody({ users: [{ user: legacyUserJson(store, user, rc.vault, rc.query) }] }) };
}

/**
 * GET /api/{v}/objects/users — params vaults (all | -1 | id,id), limit (200),
 * start (0), sort ('id asc'); includes system users (§4).
 */
export function handleListUsers(rc: RequestContext): Reply {
  const { store, options } = rc.server;
  const bad = (msg: string): never => {
    throw new VaultError(options.errorTypes.invalidUsersParam, msg);
  };
  const limitRaw = rc.query.get('limit') ?? '200';
  const startRaw = rc.query.get('start') ?? '0';
  if (!/^\d+$/.test(limitRaw) || Number(limitRaw) < 1) bad(`Invalid limit [${limitRaw}].`);
  if (!/^\d+$/.test(startRaw)) bad(`Invalid start [${startRaw}].`);
  const limit = Math.min(Number(limitRaw), 1000);
  const start = Number(startRaw);

  const sort = (rc.query.get('sort') ?? 'id asc').trim();
  const sm = /^(id|user_name__v|user_last_name__v|user_first_name__v|created_date__v)\s+(asc|desc)$/i.exec(sort);
  if (!sm) bad(`Invalid sort [${sort}].`);
  const sortField = sm![1]!.toLowerCase();
  const desc = sm![2]!.toLowerCase() === 'desc';

  const scope = rc.query.get('vaults') ?? (options.usersListDefaultScope === 'all' ? 'all' : '-1');
  let vaultFilter: (u: UserRecord) => boolean;
  if (scope === 'all') vaultFilter = () => true;
  else if (scope === '-1') vaultFilter = (u) => store.isMember(u, rc.vault.id);
  else {
    const ids = scope.split(',').map((s) => s.trim());
    if (ids.some((s) => !/^\d+$/.test(s))) bad(`Invalid vaults [${scope}].`);
    vaultFilter = (u) => ids.some((id) => store.isMember(u, Number(id)));
  }

  const key = (u: UserRecord): string | number =>
    sortField === 'id'
      ? u.id
      : sortField === 'user_name__v'
        ? u.username.toLowerCase()
        : sortField === 'user_last_name__v'
          ? u.lastName.toLowerCase()
          : sortField === 'user_first_name__v'
            ? u.firstName.toLowerCase()
            : u.createdAt.getTime();
  const all = [...store.users.values()].filter(vaultFilter).sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    const d = ka < kb ? -1 : ka > kb ? 1 : a.id - b.id;
    return desc ? -d : d;
  });
  const page = all.slice(start, start + limit);
  return {
    body: successBody({
      size: page.length,
      start,
      limit,
      sort: `${sortField} ${desc ? 'desc' : 'asc'}`,
      users: page.map((u) => ({ user: legacyUserJson(store, u, rc.vault, rc.query) })),
    }),
  };
}
