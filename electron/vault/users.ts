/**
 * Users (vault-api.md §4):
 * - whoami: `GET /api/{version}/objects/users/me` (§3.8 Validate Session User).
 * - the picker: VQL on `user__sys` (recommended by the docs over the legacy
 *   domain-level `GET /objects/users`), active users only, system-owned users
 *   excluded, optional search on name / username / email. If the Vault
 *   refuses the `user__sys` query shape (field names are UNCONFIRMED, §4), the
 *   legacy `GET /objects/users` list is used and filtered here.
 */
import { VaultError, invalidInput, isVaultError } from './errors';
import { queryAll, vqlString } from './query';
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
  signal?: AbortSignal;
}

export const DEFAULT_USER_LIMIT = 50;

/** Names Vault gives its system-owned users (§4 "System, Application Owner, …"). */
const SYSTEM_USER_NAMES = /^(system|application owner|vault owner system|java sdk|integration system)$/i;

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
  return SYSTEM_USER_NAMES.test(user.displayName.trim()) || (user.securityProfile ?? '').startsWith('system__');
}

function matches(user: VaultUser, needle: string): boolean {
  if (!needle) return true;
  const hay = [user.displayName, user.firstName, user.lastName, user.username, user.email]
    .filter((s): s is string => typeof s === 'string')
    .map((s) => s.toLowerCase());
  return hay.some((h) => h.includes(needle));
}

/** Spellings to try, since VQL LIKE case sensitivity is UNCONFIRMED: as typed, lower, UPPER, Capitalised. */
export function caseVariants(search: string): string[] {
  const capitalised = search.toLowerCase().replace(/(^|[\s.'-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
  return [...new Set([search, search.toLowerCase(), search.toUpperCase(), capitalised])];
}

const SEARCH_FIELDS = ['name__v', 'first_name__sys', 'last_name__sys', 'username__sys', 'email__sys'];

export function userSysVql(search: string, limit: number): string {
  const where = [`status__v = 'active__v'`];
  if (search) {
    const likes = caseVariants(search).flatMap((v) => SEARCH_FIELDS.map((f) => `${f} LIKE ${vqlString(`%${v}%`)}`));
    where.push(`(${likes.join(' OR ')})`);
  }
  return (
    'SELECT id, name__v, username__sys, first_name__sys, last_name__sys, email__sys, status__v, user_type__v ' +
    `FROM user__sys WHERE ${where.join(' AND ')} ORDER BY name__v ASC PAGESIZE ${limit}`
  );
}

/** Error types that mean "this Vault does not understand that user__sys query". */
const QUERY_SHAPE_ERRORS = new Set(['INCORRECT_QUERY_SYNTAX_ERROR', 'INVALID_FILTER', 'ATTRIBUTE_NOT_SUPPORTED', 'MALFORMED_URL']);

export async function listUsers(session: SessionManager, opts: ListUsersOptions = {}): Promise<VaultUser[]> {
  const limit = opts.limit ?? DEFAULT_USER_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw invalidInput('The user list limit must be 1–1000.');
  const search = (opts.search ?? '').trim();
  const needle = search.toLowerCase();
  try {
    const humans: VaultUser[] = [];
    await queryAll(session, userSysVql(search, Math.min(limit + 10, 1000)), userSysPickerRow, {
      signal: opts.signal,
      maxPages: 1,
      onPage: (rows) => {
        for (const { user, system } of rows) {
          if (system || isSystemUser(user) || user.active === false) continue;
          // VQL LIKE case sensitivity is UNCONFIRMED: filter again here.
          if (!matches(user, needle)) continue;
          humans.push(user);
        }
      },
    });
    return humans.slice(0, limit);
  } catch (err) {
    if (!(isVaultError(err) && err.kind === 'vault' && err.type && QUERY_SHAPE_ERRORS.has(err.type))) throw err;
    session.http.logger.info('user__sys query refused; using the legacy users list', { errorType: err.type });
    return listUsersLegacy(session, needle, limit, opts.signal);
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
