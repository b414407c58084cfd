/**
 * Public types of the Vault client and the zod schemas for the response
 * shapes that matter. Schemas are lenient where the docs are (fields may be
 * missing or null, ids may be numbers or strings) and strict where the client
 * would otherwise act on garbage (token id/value, session id, vault ids).
 */
import { z } from 'zod';
// Types only (erased at build): http.ts and auth.ts import this file's schemas.
import type { SessionAuth } from './auth';
import type { VaultHttp } from './http';

/** Anything shaped like `fetch`: Node's fetch, Electron's `net.fetch`, the tests' trusting fetch. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface VaultConnectionConfig {
  /** Stable id of the saved connection in this app (cache key). */
  connectionId: string;
  /** Vault DNS, e.g. `myvault.veevavault.com` or `127.0.0.1:8443`. No scheme, no path. */
  dns: string;
  /** e.g. `v26.2` (§3.9: token endpoints need ≥ v26.2). */
  apiVersion: string;
  /** `X-VaultAPI-ClientID` (§5.5); empty ⇒ `vault-token-desk`. */
  clientId: string;
}

export type VaultCredentials =
  | { kind: 'password'; username: string; password: string }
  | { kind: 'token'; token: string }
  | { kind: 'session'; sessionId: string }
  /**
   * Single sign-on (docs/vault-api.md §3.4): the identity-provider token and the login host live in
   * electron/sso, so the session manager only asks for a session for this Vault.
   */
  | { kind: 'sso'; signIn: (vault: VaultHttp) => Promise<SessionAuth> };

export interface VaultUser {
  id: string;
  username: string | null;
  firstName: string | null;
  lastName: string | null;
  /** "First Last", or the username when no name is known. */
  displayName: string;
  email: string | null;
  timezone: string | null;
  active: boolean | null;
  securityProfile: string | null;
  licenseType: string | null;
}

/** One `api_access_token__sys` record (§2.1, §1.5). Missing fields are null. */
export interface VaultTokenRow {
  id: string;
  name: string | null;
  userId: string | null;
  status: string | null;
  expiryDate: string | null;
  lastUsedDate: string | null;
  /**
   * Only when Vault sent `created_date__v` (Retrieve Object Record may; the
   * VQL listing never selects it, §2.1). Undefined means "not reported", so a
   * sync keeps the local value.
   */
  createdDate?: string | null;
}

/** Latest burst-limit headers seen on a connection (§5.3, §5.4). */
export interface LimitsSnapshot {
  burstLimit: number | null;
  burstLimitRemaining: number | null;
  /** `X-VaultAPI-ResponseDelay` in ms, when Vault delayed the answer. */
  responseDelayMs: number | null;
  /** When these headers were seen; null if no response carried them yet. */
  seenAt: Date | null;
}

export type TokenTarget = { kind: 'me' } | { kind: 'user'; userId: string } | { kind: 'sandbox'; sandboxName: string };

export type TokenExpiry =
  | { kind: 'never' }
  /** Sent as-is; Vault applies 23:59:59 in the user's time zone (§1.2). */
  | { kind: 'date'; date: string }
  /** Any ISO 8601 date-time; sent converted to UTC `YYYY-MM-DDTHH:MM:SSZ` (§1.2). */
  | { kind: 'datetime'; iso: string };

export interface GenerateTokenRequest {
  target: TokenTarget;
  name: string;
  expiry: TokenExpiry;
}

export interface RevokeResult {
  id: string;
  ok: boolean;
  errorType?: string;
  message?: string;
}

// ---------------------------------------------------------------------------
// zod schemas

const idLike = z.union([z.string().min(1), z.number()]).transform((v) => String(v));
const optStr = z
  .union([z.string(), z.number(), z.boolean(), z.null()])
  .optional()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));
const optBool = z
  .union([z.boolean(), z.string(), z.null()])
  .optional()
  .transform((v) => (typeof v === 'boolean' ? v : v === 'true' ? true : v === 'false' ? false : null));

/** Envelope fields shared by every response (§5.1). */
export const envelopeSchema = z.looseObject({
  responseStatus: z.string(),
});

/** POST /auth success (§3.2). */
export const authResponseSchema = z.looseObject({
  sessionId: z.string().min(1),
  userId: idLike.optional(),
  vaultId: idLike,
  vaultIds: z
    .array(z.looseObject({ id: idLike, name: z.string().nullish(), url: z.string() }))
    .nullish()
    .transform((v) => v ?? []),
});
export type AuthResponse = z.infer<typeof authResponseSchema>;

/** GET /api/ (§3.8). */
export const versionsResponseSchema = z.looseObject({
  values: z.record(z.string(), z.string()),
});

/** Legacy user record (§3.8 A-me, §4 U-all). */
export const legacyUserSchema = z
  .looseObject({
    id: idLike,
    user_name__v: optStr,
    user_first_name__v: optStr,
    user_last_name__v: optStr,
    user_email__v: optStr,
    user_timezone__v: optStr,
    active__v: optBool,
    security_profile__v: optStr,
    license_type__v: optStr,
  })
  .transform((u): VaultUser =>
    toUser(
      u.id,
      u.user_name__v,
      u.user_first_name__v,
      u.user_last_name__v,
      u.user_email__v,
      u.user_timezone__v,
      u.active__v,
      u.security_profile__v,
      u.license_type__v,
    ),
  );

export const usersResponseSchema = z.looseObject({
  users: z.array(z.looseObject({ user: legacyUserSchema })),
});

/**
 * `user__sys` VQL row (§4). Field names are UNCONFIRMED in the docs; this
 * accepts the `__sys` names and the legacy ones so either works.
 */
export const userSysRowSchema = z
  .looseObject({
    id: idLike,
    username__sys: optStr,
    user_name__v: optStr,
    first_name__sys: optStr,
    user_first_name__v: optStr,
    last_name__sys: optStr,
    user_last_name__v: optStr,
    email__sys: optStr,
    user_email__v: optStr,
    timezone__sys: optStr,
    status__v: z.unknown().optional(),
    security_profile__sys: optStr,
    license_type__sys: optStr,
    name__v: optStr,
  })
  .transform((r): VaultUser => {
    const status = Array.isArray(r.status__v) ? r.status__v[0] : r.status__v;
    const active = status === undefined || status === null ? null : status === 'active__v';
    const user = toUser(
      r.id,
      r.username__sys ?? r.user_name__v,
      r.first_name__sys ?? r.user_first_name__v,
      r.last_name__sys ?? r.user_last_name__v,
      r.email__sys ?? r.user_email__v,
      r.timezone__sys,
      active,
      r.security_profile__sys,
      r.license_type__sys,
    );
    if (!r.first_name__sys && !r.last_name__sys && !r.user_first_name__v && r.name__v) user.displayName = r.name__v;
    return user;
  });

function toUser(
  id: string,
  username: string | null,
  firstName: string | null,
  lastName: string | null,
  email: string | null,
  timezone: string | null,
  active: boolean | null,
  securityProfile: string | null,
  licenseType: string | null,
): VaultUser {
  const name = [firstName, lastName].filter(Boolean).join(' ');
  return {
    id,
    username,
    firstName,
    lastName,
    displayName: name || username || id,
    email,
    timezone,
    active,
    securityProfile,
    licenseType,
  };
}

/** Like optStr, but keeps "field absent" (undefined) apart from "field empty" (null). */
const reportedStr = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => (v === undefined ? undefined : v === null || v === '' ? null : String(v)));

/** VQL picklists may come back as `["active__v"]`; accept both. */
const picklist = z
  .unknown()
  .optional()
  .transform((v) => {
    const first = Array.isArray(v) ? v[0] : v;
    return first === null || first === undefined || first === '' ? null : String(first);
  });

/** `api_access_token__sys` record from VQL or Retrieve Object Record (§2.1, §1.5). */
export const tokenRowSchema = z
  .looseObject({
    id: idLike,
    name__v: optStr,
    user__sys: optStr,
    status__v: picklist,
    expiry_date__sys: optStr,
    last_used_date__sys: optStr,
    created_date__v: reportedStr,
  })
  .transform((r): VaultTokenRow => ({
    id: r.id,
    name: r.name__v,
    userId: r.user__sys,
    status: r.status__v,
    expiryDate: r.expiry_date__sys,
    lastUsedDate: r.last_used_date__sys,
    ...(r.created_date__v === undefined ? {} : { createdDate: r.created_date__v }),
  }));

/** Generate API Access Token success (§1.2): `data.id` + `data.token__sys`. */
export const generateResponseSchema = z.looseObject({
  data: z.looseObject({ id: idLike, token__sys: z.string().min(1) }),
});

/** VQL response (§2.2). */
export const queryResponseSchema = z.looseObject({
  responseDetails: z
    .looseObject({
      pagesize: z.number().nullish(),
      pageoffset: z.number().nullish(),
      size: z.number().nullish(),
      total: z.number().nullish(),
      next_page: z.string().nullish(),
      previous_page: z.string().nullish(),
    })
    .nullish(),
  data: z
    .array(z.unknown())
    .nullish()
    .transform((v) => v ?? []),
});

/** Delete Object Records (§1.5): per-record results in input order. */
export const deleteResponseSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      responseStatus: z.string(),
      data: z.looseObject({ id: idLike.optional() }).nullish(),
      id: idLike.optional(),
      errors: z.array(z.looseObject({ type: z.string().nullish(), message: z.string().nullish() })).nullish(),
    }),
  ),
});

/** Retrieve Object Record (§1.5 O-get). */
export const objectRecordResponseSchema = z.looseObject({
  data: z.unknown(),
});
