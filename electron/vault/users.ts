/**
 * Users (docs/vault-api.md §4):
 * - whoami: `GET /api/{version}/objects/users/me` (§3.8 Validate Session User).
 * - the picker: VQL on `user__sys` (recommended by the docs over the legacy
 *   domain-level `GET /objects/users`), active users only, system-owned users
 *   excluded, optional prefix search on name / username / email, one query,
 *   case-insensitive through `CASEINSENSITIVE()`. If the Vault refuses the
 *   `user__sys` query shape, the legacy domain-level `GET /objects/users`
 *   list is used and filtered here.
 */
import { VaultError, invalidInput, isVaultError } from './errors';
import { queryAll } from './query';
import type { SessionManager } from './session-manager';
import { legacyUserSchema, userSysRowSchema, usersResponseSchema, type VaultUser } from './types';
import { z } from 'zod';

export async function whoami(session: SessionManager): Promise<VaultUser> {
  const http = session.http;
  const res = await session.run(
    (authorization) => http.request({ method: 'GET', path: '/objects/users/me', authorization }),
    { repeatable: true },
  );
  const parsed = usersResponseSchema.safeParse(res.body);
  const user = parsed.success ? parsed.data.users[0]?.user : undefined;
  if (!user) {
    throw new VaultError({
      kind: 'unexpected-response',
      executionId: res.executionId,
      method: 'GET',
      path: '/objects/users/me',
      message: 'Vault answered "who am I" without a user.',
    });
  }
  return user;
}

export interface ListUsersOptions {
  /** Case-insensitive match on first/last/full name, username or email. */
  search?: string;
  /** At most this many users (default 50, max 1000). */
  limit?: number;
  /**
   * Names for token owners, not the picker: system users are kept, so the
   * optional `user_type__v` is never asked for (one request, documented fields only).
   */
  includeSystemUsers?: boolean;
  signal?: AbortSignal;
}

export const DEFAULT_USER_LIMIT = 50;

/**
 * Names Vault gives its system-owned users (§4 "System, Application Owner, …").
 * Without `user_type__v` (not documented for `user__sys`) these names are all
 * that tells them apart: UNCONFIRMED, matched on the display name and on the
 * username's local part.
 */
const SYSTEM_USER_NAMES = /^(system( user)?|application owner|vault owner system|java sdk|integration system)$/i;
const SYSTEM_USERNAMES = /^(system|application\.owner|vault\.owner\.system|java\.sdk|integration\.system)(@|$)/i;

/** Row from `user__sys` plus whether it is a system-owned user. */
const userSysPickerRow = z.looseObject({}).transform((raw, ctx) => {
  const user = userSysRowSchema.safeParse(raw);
  if (!user.success) {
    ctx.addIssue({ code: 'custom', message: 'not a user__sys row' });
    return z.NEVER;
  }
  return { user: user.data, system: isSystemRaw(raw) };
});

function picklistValue(v: unknown): string | null {
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : null;
}

function isSystemRaw(raw: Record<string, unknown>): boolean {
  const type = picklistValue(raw.user_type__v);
  if (type && /system/i.test(type)) return true;
  const flag = raw.system_user__sys ?? raw.system_user__v ?? raw.is_system_user__v;
  return flag === true || flag === 'true';
}

function isSystemUser(user: VaultUser): boolean {
  return (
    SYSTEM_USER_NAMES.test(user.displayName.trim()) ||
    SYSTEM_USERNAMES.test((user.username ?? '').trim()) ||
    (user.securityProfile ?? '').startsWith('system__')
  );
}

/** Prefix match on any name field, ignoring case: what the VQL search does, for the legacy list. */
function matches(user: VaultUser, needle: string): boolean {
  if (!needle) return true;
  const hay = [user.displayName, user.firstName, user.lastName, user.username, user.email]
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.toLowerCase());
  return hay.some((h) => h.startsWith(needle) || h.includes(` ${needle}`));
}

/**
 * Escapes what a person typed for use inside a VQL `LIKE '…'` literal, with
 * the escapes VQL Syntax Basics documents ("Special characters"): the string
 * delimiter `\'`, the escape character `\\` and the wildcard `\%`. `_` is
 * not a VQL wildcard and `\_` is not a documented escape (a Vault refuses it
 * as a syntax error), so `_` is sent as it is and matches itself.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\'%]/g, (c) => `\\${c}`);
}

/** Fields searched. All documented for `user__sys` (docs/vault-api.md, second read). */
const SEARCH_FIELDS = ['name__v', 'first_name__sys', 'last_name__sys', 'username__sys', 'email__sys'] as const;
const PICKER_FIELDS = [
  'id',
  'name__v',
  'username__sys',
  'first_name__sys',
  'last_name__sys',
  'email__sys',
  'status__v',
] as const;
/**
 * Not documented for `user__sys`, but it tells system users apart where a
 * Vault has it. Asked for once; a Vault that refuses it is asked without it,
 * and remembered (per connection) so the refusal costs one request only.
 */
const OPTIONAL_PICKER_FIELD = 'user_type__v';

/**
 * One query: active users whose name, first or last name, username or email
 * starts with the search, ignoring case. VQL compares field values case
 * sensitively ("Field values: case sensitive", VQL Syntax Basics), so each
 * field is wrapped in `CASEINSENSITIVE()` (VQL functions, v14.0+).
 */
export function userSysVql(search: string, limit: number, opts: { withUserType?: boolean } = {}): string {
  const where = [`status__v = 'active__v'`];
  if (search) {
    const pattern = `'${escapeLike(search)}%'`;
    where.push(`(${SEARCH_FIELDS.map((f) => `CASEINSENSITIVE(${f}) LIKE ${pattern}`).join(' OR ')})`);
  }
  const fields = opts.withUserType === false ? PICKER_FIELDS : [...PICKER_FIELDS, OPTIONAL_PICKER_FIELD];
  return `SELECT ${fields.join(', ')} FROM user__sys WHERE ${where.join(' AND ')} ORDER BY name__v ASC PAGESIZE ${limit}`;
}

/** Connections whose Vault refused the optional field (keyed by the session, one per connection). */
const refusesUserType = new WeakSet<SessionManager>();

/** Error types that mean "this Vault does not understand that user__sys query". */
const QUERY_SHAPE_ERRORS = new Set([
  'INCORRECT_QUERY_SYNTAX_ERROR',
  'INVALID_FILTER',
  'INVALID_DATA',
  'ATTRIBUTE_NOT_SUPPORTED',
  'MALFORMED_URL',
]);

export async function listUsers(session: SessionManager, opts: ListUsersOptions = {}): Promise<VaultUser[]> {
  const limit = opts.limit ?? DEFAULT_USER_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidInput('The user list limit must be 1–1000.');
  const search = (opts.search ?? '').trim();
  const pageSize = Math.min(limit + 10, 1000);
  const run = async (withUserType: boolean): Promise<VaultUser[]> => {
    const humans: VaultUser[] = [];
    await queryAll(session, userSysVql(search, pageSize, { withUserType }), userSysPickerRow, {
      signal: opts.signal,
      firstPageOnly: true,
      onPage: (rows) => {
        for (const { user, system } of rows) {
          if (opts.includeSystemUsers || (!system && !isSystemUser(user) && user.active !== false)) humans.push(user);
        }
      },
    });
    return humans.slice(0, limit);
  };
  try {
    if (opts.includeSystemUsers || refusesUserType.has(session)) return await run(false);
    try {
      return await run(true);
    } catch (err) {
      // Whatever error type the Vault uses for the undocumented field: retry once without it.
      if (!(isVaultError(err) && err.kind === 'vault')) throw err;
      session.http.logger.info('user__sys query with user_type__v refused; asking without it', { errorType: err.type });
    }
    const users = await run(false);
    refusesUserType.add(session);
    return users;
  } catch (err) {
    if (!(isVaultError(err) && err.kind === 'vault' && err.type && QUERY_SHAPE_ERRORS.has(err.type))) throw err;
    session.http.logger.info('user__sys query refused; using the legacy users list', { errorType: err.type });
    return listUsersLegacy(session, search.toLowerCase(), limit, opts.signal);
  }
}

const legacyListSchema = z.looseObject({
  size: z.number().nullish(),
  users: z.array(z.looseObject({ user: z.unknown() })).nullish(),
});

/** `GET /objects/users` (§4 U-all), paged with `limit`/`start`, filtered here. */
async function listUsersLegacy(
  session: SessionManager,
  needle: string,
  limit: number,
  signal: AbortSignal | undefined,
): Promise<VaultUser[]> {
  const http = session.http;
  const pageSize = 200;
  const out: VaultUser[] = [];
  for (let start = 0, page = 0; page < 50; start += pageSize, page++) {
    const res = await session.run(
      (authorization) =>
        http.request({
          method: 'GET',
          path: '/objects/users',
          query: { vaults: '-1', limit: String(pageSize), start: String(start), sort: 'id asc' },
          authorization,
          signal,
        }),
      { repeatable: true },
    );
    const parsed = legacyListSchema.safeParse(res.body);
    const entries = parsed.success ? (parsed.data.users ?? []) : [];
    for (const entry of entries) {
      const raw = (entry.user ?? {}) as Record<string, unknown>;
      const user = legacyUserSchema.safeParse(raw);
      if (!user.success) continue;
      if (isSystemRaw(raw) || isSystemUser(user.data) || user.data.active === false) continue;
      if (!matches(user.data, needle)) continue;
      out.push(user.data);
      if (out.length >= limit) return out;
    }
    if (entries.length < pageSize) break;
  }
  return out;
}
