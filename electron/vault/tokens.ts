/**
 * API access tokens (docs/vault-api.md §1):
 * - Generate for a user / for me / for a sandbox (§1.2–§1.4): form body
 *   `name__v` and optional `expiry_date__v` (`YYYY-MM-DDTHH:MM:SSZ`, UTC; a bare
 *   `YYYY-MM-DD` is sent as-is so Vault applies 23:59:59 in the user's time
 *   zone; omitted ⇒ never expires, if the security profile allows). The client
 *   sends `expiry_date__v`, not the `expiry_date__sys` of the limited-site
 *   curl sample (§1.2 "Discrepancy"). NEVER retried, for any reason.
 * - List via VQL on `api_access_token__sys` (§2.1), read one via Retrieve
 *   Object Record (§1.5), revoke via Delete Object Records with a CSV body in
 *   batches of at most 500, per-record results in input order (§1.5).
 *   Revoke is not auto-repeated either.
 */
import { SANDBOX_NAME_HINT, SANDBOX_NAME_RE, VAULT_USER_ID_HINT, VAULT_USER_ID_RE } from '../../shared/vault-names';
import { registerSecret } from '../log';
import { VaultError, invalidInput, isVaultError, type VaultErrorKind } from './errors';
import { queryAll, vqlString, type PageInfo } from './query';
import { parseBody } from './http';
import type { SessionManager } from './session-manager';
import {
  deleteResponseSchema,
  generateResponseSchema,
  objectRecordResponseSchema,
  tokenRowSchema,
  type GenerateTokenRequest,
  type RevokeResult,
  type TokenExpiry,
  type TokenTarget,
  type VaultTokenRow,
} from './types';

export const REVOKE_BATCH_SIZE = 500;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** ISO 8601 date-time with an explicit zone (Z or ±hh:mm); a zone-less time would be read as local time. */
const DATETIME_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

function isCalendarDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** `Date` → `YYYY-MM-DDTHH:MM:SSZ` (UTC, whole seconds), the §1.2 format. */
export function formatVaultDateTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The `expiry_date__v` value to send, or undefined for never-expire (§1.2).
 * Refuses malformed dates and expiries already in the past.
 */
export function formatExpiry(expiry: TokenExpiry, now: Date): string | undefined {
  switch (expiry.kind) {
    case 'never':
      return undefined;
    case 'date': {
      const m = DATE_RE.exec(expiry.date.trim());
      if (!m || !isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
        throw invalidInput(`"${expiry.date}" is not a date in the form YYYY-MM-DD.`);
      }
      // Vault reads a bare date as 23:59:59 in the user's zone (UTC-12 … UTC+14):
      // two days before today's UTC date has passed everywhere.
      const dayStart = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      const todayUtc = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
      if (dayStart < todayUtc - 86_400_000) throw invalidInput(`The expiry date ${expiry.date} is in the past.`);
      return expiry.date.trim();
    }
    case 'datetime': {
      const iso = expiry.iso.trim();
      const date = new Date(iso);
      if (!DATETIME_RE.test(iso) || Number.isNaN(date.getTime())) {
        throw invalidInput(
          `"${expiry.iso}" is not a date and time with a time zone (e.g. 2026-03-31T17:00:00Z or 2026-03-31T17:00:00+02:00).`,
        );
      }
      if (date.getTime() <= now.getTime())
        throw invalidInput(`The expiry ${formatVaultDateTime(date)} is in the past.`);
      return formatVaultDateTime(date);
    }
  }
}

export function checkUserId(raw: string): string {
  const id = raw.trim();
  if (!VAULT_USER_ID_RE.test(id)) throw invalidInput(`"${raw}" is not a Vault user id. ${VAULT_USER_ID_HINT}`);
  return id;
}

export function checkSandboxName(raw: string): string {
  const name = raw.trim();
  if (!name) throw invalidInput('The sandbox name is empty.');
  if (!SANDBOX_NAME_RE.test(name)) throw invalidInput(`"${raw}" is not a sandbox name. ${SANDBOX_NAME_HINT}`);
  return name;
}

/** Path of the Generate call for each target (§1.2, §1.3, §1.4); path segments validated and percent-encoded. */
export function generatePath(target: TokenTarget): string {
  switch (target.kind) {
    case 'me':
      return '/objects/users/me/api_access_token__sys';
    case 'user':
      return `/objects/users/${encodeURIComponent(checkUserId(target.userId))}/api_access_token__sys`;
    case 'sandbox':
      // §1.4: only `me` exists for sandboxes.
      return `/objects/sandbox/${encodeURIComponent(checkSandboxName(target.sandboxName))}/users/me/api_access_token__sys`;
  }
}

/** Kinds after which a Generate may or may not have happened on the Vault side. */
const OUTCOME_UNKNOWN: ReadonlySet<VaultErrorKind> = new Set([
  'timeout',
  'connection-reset',
  'network',
  'not-json',
  'http',
  'unexpected-response',
  'aborted',
]);

export async function generateToken(
  session: SessionManager,
  req: GenerateTokenRequest,
  now: Date,
): Promise<{ id: string; value: string }> {
  const name = req.name.trim();
  if (!name) throw invalidInput('The token needs a name.');
  const path = generatePath(req.target);
  const expiry = formatExpiry(req.expiry, now);
  const form: Record<string, string> = { name__v: name };
  if (expiry !== undefined) form.expiry_date__v = expiry;

  const http = session.http;
  let res;
  try {
    res = await session.run((authorization) => http.request({ method: 'POST', path, form, authorization }), {
      repeatable: false, // never retry a Generate, for any reason
    });
  } catch (err) {
    if (isVaultError(err) && OUTCOME_UNKNOWN.has(err.kind)) {
      throw new VaultError({
        kind: err.kind,
        type: err.type,
        httpStatus: err.httpStatus,
        executionId: err.executionId,
        method: err.method,
        path: err.path,
        cause: err,
        message: `${err.message} A token may have been created anyway: refresh the token list before generating another.`,
      });
    }
    throw err;
  }
  const minted = parseBody(generateResponseSchema, res, {
    method: 'POST',
    path: http.buildUrl({ path }).pathname,
    message:
      'Vault reported success but did not return the token id and value. A token may have been created: refresh the token list and revoke any you cannot use.',
  });
  const { id, token__sys: value } = minted.data;
  registerSecret(value);
  http.logger.info('api access token generated', {
    tokenId: id,
    target: req.target.kind,
    expiry: expiry ?? 'never',
    executionId: res.executionId,
  });
  return { id, value };
}

export interface ListTokensOptions {
  userId?: string;
  activeOnly?: boolean;
  onPage?: (rows: VaultTokenRow[], page: PageInfo) => void;
  maxPages?: number;
  signal?: AbortSignal;
}

/**
 * Exactly the fields Veeva's VQL reference documents for the API Access Tokens
 * query target (docs/vault-api.md §2.1, Q-tok). A Vault may refuse any other field
 * and with it the whole query, so audit fields such as `created_date__v` are
 * never selected: a token's creation time comes from our own records.
 */
export const TOKEN_FIELDS = [
  'id',
  'name__v',
  'user__sys',
  'status__v',
  'expiry_date__sys',
  'last_used_date__sys',
] as const;

export function listTokensVql(opts: { userId?: string; activeOnly?: boolean } = {}): string {
  const where: string[] = [];
  if (opts.userId !== undefined) where.push(`user__sys = ${vqlString(opts.userId)}`);
  if (opts.activeOnly) where.push(`status__v = 'active__v'`);
  return `SELECT ${TOKEN_FIELDS.join(', ')} FROM api_access_token__sys${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
}

export async function listTokens(session: SessionManager, opts: ListTokensOptions = {}): Promise<VaultTokenRow[]> {
  return queryAll(session, listTokensVql(opts), tokenRowSchema, {
    onPage: opts.onPage,
    maxPages: opts.maxPages,
    signal: opts.signal,
  });
}

/** Vault error types that mean "no such record" on Retrieve Object Record (exact type UNCONFIRMED). */
const NOT_FOUND_TYPES = new Set(['INVALID_DATA', 'OBJECT_RECORD_NOT_FOUND', 'NOT_FOUND']);

/** Retrieve Object Record (§1.5 O-get). Null when Vault says the record does not exist. */
export async function getToken(session: SessionManager, id: string): Promise<VaultTokenRow | null> {
  const recordId = checkRecordId(id);
  if (recordId === null) throw invalidInput(`"${id}" is not a token record id.`);
  const http = session.http;
  let res;
  try {
    res = await session.run(
      (authorization) =>
        http.request({
          method: 'GET',
          path: `/vobjects/api_access_token__sys/${encodeURIComponent(recordId)}`,
          authorization,
        }),
      { repeatable: true },
    );
  } catch (err) {
    if (isVaultError(err) && err.kind === 'vault' && err.type && NOT_FOUND_TYPES.has(err.type)) return null;
    throw err;
  }
  const body = objectRecordResponseSchema.safeParse(res.body);
  const record = body.success ? (Array.isArray(body.data.data) ? body.data.data[0] : body.data.data) : undefined;
  const row = tokenRowSchema.safeParse(record);
  if (!row.success) {
    throw new VaultError({
      kind: 'unexpected-response',
      executionId: res.executionId,
      method: 'GET',
      message: 'Vault answered without the token record.',
    });
  }
  return row.data;
}

/** Record ids go into a CSV body: refuse anything that could break it. Returns the trimmed id or null. */
export function checkRecordId(id: string): string | null {
  const t = typeof id === 'string' ? id.trim() : '';
  return t && /^[A-Za-z0-9_.-]{1,64}$/.test(t) ? t : null;
}

/** Splits into batches of at most `size` (Delete Object Records takes ≤ 500, §1.5). */
export function batches<T>(items: readonly T[], size = REVOKE_BATCH_SIZE): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError('batch size must be a positive integer');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** CSV body for Delete Object Records: header `id`, one id per line (§1.5). */
export function deleteCsv(ids: readonly string[]): string {
  return `id\n${ids.join('\n')}\n`;
}

/**
 * Revokes tokens by deleting their `api_access_token__sys` records (§1.5).
 * Results are in input order. Ids that are not well-formed are reported as
 * failures without being sent. If the first batch fails outright the error
 * is thrown (nothing is known to have been revoked); if a later batch fails,
 * the earlier results are returned and that batch's ids carry the error,
 * later ones `NOT_ATTEMPTED`. Never repeated automatically.
 */
export async function revokeTokens(session: SessionManager, ids: readonly string[]): Promise<RevokeResult[]> {
  const results: (RevokeResult | undefined)[] = new Array<RevokeResult | undefined>(ids.length);
  const toSend: { index: number; id: string }[] = [];
  ids.forEach((raw, index) => {
    const id = checkRecordId(raw);
    if (id === null) {
      results[index] = {
        id: String(raw),
        ok: false,
        errorType: 'INVALID_DATA',
        message: 'Not a valid token record id; not sent to Vault.',
      };
    } else {
      toSend.push({ index, id });
    }
  });

  const http = session.http;
  const groups = batches(toSend);
  for (let b = 0; b < groups.length; b++) {
    const group = groups[b]!;
    let res;
    try {
      res = await session.run(
        (authorization) =>
          http.request({
            method: 'DELETE',
            path: '/vobjects/api_access_token__sys',
            csv: deleteCsv(group.map((g) => g.id)),
            authorization,
            allowFailureWithData: true,
          }),
        { repeatable: false },
      );
    } catch (err) {
      if (b === 0) throw err;
      const ve = isVaultError(err) ? err : undefined;
      for (const g of group) {
        results[g.index] = {
          id: g.id,
          ok: false,
          errorType: ve?.type ?? ve?.kind ?? 'UNKNOWN',
          message: ve?.message ?? String(err),
        };
      }
      for (const later of groups.slice(b + 1).flat()) {
        results[later.index] = {
          id: later.id,
          ok: false,
          errorType: 'NOT_ATTEMPTED',
          message: 'Not sent because an earlier batch failed.',
        };
      }
      http.logger.warn('revoke batch failed; later batches not sent', { batch: b, ...(ve ? ve.toLogFields() : {}) });
      break;
    }
    const parsed = deleteResponseSchema.safeParse(res.body);
    const perRecord = parsed.success ? parsed.data.data : [];
    group.forEach((g, i) => {
      const r = perRecord[i];
      if (!r) {
        results[g.index] = {
          id: g.id,
          ok: false,
          errorType: 'UNKNOWN',
          message: 'Vault did not report on this record; refresh the list to check.',
        };
        return;
      }
      const ok = r.responseStatus === 'SUCCESS' || r.responseStatus === 'WARNING';
      const e = r.errors?.[0];
      results[g.index] = ok
        ? { id: g.id, ok: true }
        : {
            id: g.id,
            ok: false,
            errorType: e?.type ?? 'UNKNOWN',
            message: e?.message ?? 'Vault did not delete this record.',
          };
    });
    http.logger.info('revoke batch done', {
      batch: b,
      count: group.length,
      revoked: group.filter((g) => results[g.index]?.ok).length,
      tokenIds: group.map((g) => g.id),
      executionId: res.executionId,
    });
  }
  return results.map((r, i) => r ?? { id: String(ids[i]), ok: false, errorType: 'UNKNOWN' });
}
