/**
 * Generate API access tokens (docs/vault-api.md §1.2–§1.4, rules in §1.7):
 *   POST /objects/users/{user_id}/api_access_token__sys
 *   POST /objects/users/me/api_access_token__sys
 *   POST /objects/sandbox/{sandbox_name}/users/me/api_access_token__sys
 */
import { VaultError, successBody } from '../errors';
import { parseFormFields } from '../http-io';
import { compareVersions } from '../options';
import type { UserRecord, VaultRecord } from '../store';
import { localDateString, parseExpiryInput, zonedWallTimeToUtc } from '../time';
import { requirePrincipal, type Reply, type RequestContext } from './context';

/** §1.1: max 25 active tokens per user. */
export const MAX_ACTIVE_TOKENS = 25;
const DAY_MS = 86_400_000;

/**
 * Body as a map of strings. §1.2 (T-gen, T-me, T-sbx headers): `Content-Type`
 * is `application/x-www-form-urlencoded` or `application/json`, so multipart
 * is refused. The JSON shape `{"name__v":…,"expiry_date__v":…}` is
 * UNCONFIRMED (§1.2); JSON null = parameter omitted.
 */
function bodyParams(rc: RequestContext): Map<string, string> {
  const invalid = rc.server.options.errorTypes.invalidRequest;
  if (rc.contentType.mime === 'application/x-www-form-urlencoded') return parseFormFields(rc.body, rc.contentType)!;
  if (rc.contentType.mime === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rc.body.toString('utf8') || '{}');
    } catch {
      throw new VaultError(invalid, 'Malformed JSON body.');
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new VaultError(invalid, 'JSON body must be an object.');
    }
    const out = new Map<string, string>();
    for (const [k, v] of Object.entries(parsed)) {
      if (v === null || v === undefined) continue;
      if (typeof v !== 'string') throw new VaultError(invalid, `Parameter [${k}] must be a string.`);
      out.set(k, v);
    }
    return out;
  }
  if (rc.body.length === 0) return new Map();
  throw new VaultError(invalid, `Unsupported Content-Type [${rc.contentType.mime || 'none'}].`);
}

function checkVersion(rc: RequestContext): void {
  const min = rc.server.options.minTokenApiVersion;
  // §3.9: earliest version of the token endpoints UNCONFIRMED; off unless options.minTokenApiVersion.
  if (min && compareVersions(rc.version, min) < 0) {
    throw new VaultError(
      rc.server.options.errorTypes.versionTooOld,
      `Method not supported in API version ${rc.version}.`,
    );
  }
}

/** Checks and creates a token for `target` in `vault`; all rules of §1.7. */
function generate(rc: RequestContext, vault: VaultRecord, target: UserRecord): Reply {
  const { store, options } = rc.server;
  const et = options.errorTypes;
  const caller = requirePrincipal(rc).user;

  if (!target.active) throw new VaultError('INACTIVE_USER', `User [${target.id}] is inactive.`);
  // §1.2: cannot target VeevaID users; error type UNCONFIRMED (options.errorTypes.veevaIdTarget).
  if (target.veevaId)
    throw new VaultError(et.veevaIdTarget, `Cannot generate API access tokens for VeevaID user [${target.id}].`);

  const params = bodyParams(rc);
  for (const key of params.keys()) {
    if (key === 'name__v' || key === 'expiry_date__v') continue;
    if (key === 'expiry_date__sys') {
      // §1.2: acceptance of expiry_date__sys UNCONFIRMED; options.expiryDateSysParam.
      if (options.expiryDateSysParam === 'reject') {
        throw new VaultError(
          et.unknownTokenParam,
          'Parameter [expiry_date__sys] is not supported; use [expiry_date__v].',
        );
      }
      continue;
    }
    if (options.unknownTokenParams === 'reject')
      throw new VaultError(et.unknownTokenParam, `Parameter [${key}] is not supported.`);
  }

  const name = (params.get('name__v') ?? '').trim();
  // §1.7: missing name__v ⇒ PARAMETER_REQUIRED (assumed; options.errorTypes.nameRequired).
  if (!name) throw new VaultError(et.nameRequired, 'Missing required parameter [name__v].');
  if (name.length > options.maxTokenNameLength) {
    throw new VaultError(et.nameInvalid, `[name__v] exceeds ${options.maxTokenNameLength} characters.`);
  }

  const profile = store.profileOf(target);
  const now = store.now();
  let raw = params.get('expiry_date__v');
  if (raw === undefined && options.expiryDateSysParam === 'accept') raw = params.get('expiry_date__sys');
  let expiresAt: Date | null;
  if (raw === undefined) {
    // §1.2: omitting expiry = never expires, only if the profile allows it;
    // error type UNCONFIRMED (options.errorTypes.expiryRequired).
    if (!profile.allowNeverExpire) {
      throw new VaultError(
        et.expiryRequired,
        `Missing required parameter [expiry_date__v]: security profile [${profile.name}] does not allow tokens that never expire.`,
      );
    }
    expiresAt = null;
  } else {
    const parsed = parseExpiryInput(raw.trim(), options.acceptFractionalExpirySeconds);
    if (parsed.kind === 'invalid') {
      throw new VaultError(
        et.expiryMalformed,
        `Invalid value [${raw}] for [expiry_date__v]; expected YYYY-MM-DDTHH:MM:SSZ.`,
      );
    }
    // §1.2: a date alone means 23:59:59 in the TARGET user's time zone.
    expiresAt =
      parsed.kind === 'instant'
        ? parsed.date
        : zonedWallTimeToUtc(
            { year: parsed.year, month: parsed.month, day: parsed.day, hour: 23, minute: 59, second: 59 },
            target.timezone,
          );
    if (expiresAt.getTime() <= now.getTime()) {
      throw new VaultError(et.expiryInPast, `[expiry_date__v] must be in the future.`);
    }
    if (profile.maxTokenLifetimeDays !== null) {
      const latest = now.getTime() + profile.maxTokenLifetimeDays * DAY_MS;
      // For a date alone the whole last allowed day (in the user's zone) is
      // accepted, as a date picker would offer it — UNCONFIRMED (§1.1).
      const tooLate =
        parsed.kind === 'date' ? parsed.text > localDateString(latest, target.timezone) : expiresAt.getTime() > latest;
      if (tooLate) {
        throw new VaultError(
          et.expiryBeyondMax,
          `[expiry_date__v] exceeds the maximum token lifetime of ${profile.maxTokenLifetimeDays} days for security profile [${profile.name}].`,
        );
      }
    }
  }

  // §1.1: max 25 active tokens; error type UNCONFIRMED (options.errorTypes.tooManyTokens).
  if (store.activeTokenCount(target.id, vault.id) >= MAX_ACTIVE_TOKENS) {
    throw new VaultError(
      et.tooManyTokens,
      `User [${target.id}] already has ${MAX_ACTIVE_TOKENS} active API access tokens.`,
    );
  }

  const { record, value } = store.insertToken({
    vaultId: vault.id,
    userId: target.id,
    name,
    expiresAt,
    createdBy: caller.id,
  });
  return { body: successBody({ data: { id: record.id, token__sys: value } }) };
}

/** POST …/objects/users/me/api_access_token__sys (§1.3) */
export function handleGenerateMine(rc: RequestContext): Reply {
  checkVersion(rc);
  return generate(rc, rc.vault, requirePrincipal(rc).user);
}

/** POST …/objects/users/{user_id}/api_access_token__sys (§1.2) */
export function handleGenerateForUser(rc: RequestContext): Reply {
  checkVersion(rc);
  const { store, options } = rc.server;
  const caller = requirePrincipal(rc).user;
  const raw = rc.params[0] ?? '';
  const id = /^\d+$/.test(raw) ? Number(raw) : NaN;
  // §1.1: minting for others needs "appropriate permissions" (name UNCONFIRMED):
  // modelled as the security profile flag canManageTokens.
  if (id !== caller.id && !store.profileOf(caller).canManageTokens) {
    throw new VaultError(
      options.errorTypes.noTokenPermission,
      `User [${caller.id}] may not generate API access tokens for other users.`,
    );
  }
  const target = Number.isNaN(id) ? undefined : store.users.get(id);
  if (!target || !store.isMember(target, rc.vault.id)) {
    throw new VaultError(options.errorTypes.unknownUser, `Invalid user id [${raw}].`);
  }
  return generate(rc, rc.vault, target);
}

/**
 * POST …/objects/sandbox/{sandbox_name}/users/me/api_access_token__sys (§1.4).
 * Only `me` exists (T-sbx; second-read findings "Only for me"): the router has
 * no route for any other user segment, so those get MALFORMED_URL. The token
 * belongs to the sandbox Vault: it authenticates, is listed and is revoked
 * there, never on the parent. The sandbox is found by name among the called
 * Vault's sandboxes (or, with options.sandboxLookup = 'domain', among all
 * Vaults) — UNCONFIRMED.
 */
export function handleGenerateSandbox(rc: RequestContext): Reply {
  checkVersion(rc);
  const { store, options } = rc.server;
  const caller = requirePrincipal(rc).user;
  const name = (rc.params[0] ?? '').toLowerCase();
  const sandbox = [...store.vaults.values()].find(
    (v) => v.name.toLowerCase() === name && (options.sandboxLookup === 'domain' || v.sandboxOf === rc.vault.id),
  );
  if (!sandbox || !sandbox.active) {
    throw new VaultError(options.errorTypes.sandboxNotFound, `Sandbox [${rc.params[0] ?? ''}] not found.`);
  }
  if (!store.isMember(caller, sandbox.id)) {
    throw new VaultError(
      options.errorTypes.notSandboxMember,
      `User [${caller.id}] is not a user of sandbox [${sandbox.name}].`,
    );
  }
  return generate(rc, sandbox, caller);
}
