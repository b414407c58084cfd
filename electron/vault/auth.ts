/**
 * The three ways a connection authenticates (docs/vault-api.md §3):
 * - username + password → `POST /auth` (§3.2), then the authentication
 *   defaulting guard (§3.3): Vault may log the user in to a *different* Vault
 *   than the DNS asked for, so the session's `vaultId` must map to
 *   `https://{dns}/api` in `vaultIds[]`; otherwise the session is ended and
 *   the login refused with a `wrong-vault` error naming both Vaults.
 * - an API access token used directly as `Authorization: Bearer <token>`
 *   (§1.1, §3.1): no session, nothing to keep alive or end.
 * - a pasted session id, validated with `GET /api/` (§3.8): `values[version]`
 *   must equal `https://{dns}/api/{version}`, as VAPIL/Vault-Toolbox do.
 *
 * Sessions are sent as the raw `Authorization: {sessionId}` (§3.1; what VAPIL
 * sends), tokens as `Bearer {token}`.
 */
import { registerSecret, type Logger } from '../log';
import { VaultError, formatSeconds, invalidInput, isVaultError } from './errors';
import { fetchApiVersions, parseBody, urlMatches, type VaultHttp, type VaultResponse } from './http';
import { authResponseSchema } from './types';

export interface SessionAuth {
  kind: 'session';
  sessionId: string;
  /** True for sessions this client created with a password (it may end them). */
  owned: boolean;
  createdAt: Date;
  userId: string | null;
  vault: { id: string; name: string | null; url: string } | null;
  /** Every Vault this login reaches (`vaultIds`, §3.2): sandboxes and siblings. Empty when unknown. */
  reachable: { id: string; name: string | null; url: string }[];
}

export interface TokenAuth {
  kind: 'token';
  token: string;
}

export type ActiveAuth = SessionAuth | TokenAuth;

export function authorizationHeader(auth: ActiveAuth): string {
  return auth.kind === 'token' ? `Bearer ${auth.token}` : auth.sessionId;
}

export interface LoginDeps {
  logger: Logger;
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
  onNotice?: (message: string) => void;
}

/** Milliseconds from `now` to the start of the next wall-clock minute (§5.3 auth burst limit). */
export function msUntilNextMinute(now: Date): number {
  const ms = 60_000 - (now.getTime() % 60_000);
  return ms === 0 ? 60_000 : ms;
}

/**
 * `POST /auth` with the password; on `API_LIMIT_EXCEEDED` (auth burst limit,
 * §5.3: "fail until the next minute") waits for the next minute once and
 * retries once, telling the user through `onNotice`.
 */
export async function passwordLogin(
  http: VaultHttp,
  creds: { username: string; password: string },
  deps: LoginDeps,
): Promise<SessionAuth> {
  if (!creds.username.trim()) throw invalidInput('The Vault username is empty.');
  if (!creds.password) throw invalidInput('The Vault password is empty.');
  registerSecret(creds.password);

  const attempt = () =>
    http.request({
      method: 'POST',
      path: '/auth',
      form: { username: creds.username, password: creds.password },
      authorization: null,
    });

  let res;
  try {
    res = await attempt();
  } catch (err) {
    if (!(isVaultError(err) && err.kind === 'vault' && err.type === 'API_LIMIT_EXCEEDED')) throw err;
    const waitMs = msUntilNextMinute(deps.now());
    const notice = `Vault's sign-in limit for this user was reached on ${http.endpoint.dns}; waiting ${formatSeconds(waitMs)} for the next minute, then trying once more.`;
    deps.logger.warn('auth limit reached, waiting for the next minute', { waitMs, executionId: err.executionId });
    deps.onNotice?.(notice);
    await deps.sleep(waitMs);
    res = await attempt();
  }

  return sessionFromAuthResponse(http, res, deps, { path: '/auth', how: 'signed in with password' });
}

/**
 * Reads an auth response (§3.2; the OAuth session endpoint answers the same, §3.4) into a session,
 * and applies the §3.3 authentication defaulting guard: the session must be for `http`'s Vault.
 */
export async function sessionFromAuthResponse(
  http: VaultHttp,
  res: VaultResponse,
  deps: LoginDeps,
  where: { path: string; how: string },
): Promise<SessionAuth> {
  const body = parseBody(authResponseSchema, res, {
    method: 'POST',
    path: where.path,
    message: 'Vault accepted the sign-in but its answer had no session id or Vault id.',
  });
  registerSecret(body.sessionId);
  const vault = body.vaultIds.find((v) => v.id === body.vaultId) ?? null;
  const session: SessionAuth = {
    kind: 'session',
    sessionId: body.sessionId,
    owned: true,
    createdAt: deps.now(),
    userId: body.userId ?? null,
    vault: vault ? { id: vault.id, name: vault.name ?? null, url: vault.url } : null,
    reachable: body.vaultIds.map((v) => ({ id: v.id, name: v.name ?? null, url: v.url })),
  };

  // §3.3 authentication defaulting guard.
  const expected = http.endpoint.dns;
  if (!vault || !urlMatches(vault.url, expected, '/api')) {
    let actualHost = 'an unknown Vault';
    try {
      if (vault) actualHost = new URL(vault.url).host;
    } catch {
      /* keep "unknown" */
    }
    const actual = vault
      ? `"${vault.name ?? `Vault ${vault.id}`}" (${actualHost})`
      : `Vault ${body.vaultId} (not listed in vaultIds)`;
    deps.logger.warn('login landed on another vault; ending that session', {
      expectedDns: expected,
      actualVaultId: body.vaultId,
      actualHost,
      executionId: res.executionId,
    });
    // End it only at the host the person asked for: the host in vaultIds comes from Vault's reply, and a
    // reply must never choose where a session id is sent (issue 11, finding 9). If sessions are bound to
    // the Vault that issued them this DELETE may not end it; it then lapses at Vault's idle timeout.
    await endSessionQuietly(http, session, deps.logger);
    throw new VaultError({
      kind: 'wrong-vault',
      executionId: res.executionId,
      method: 'POST',
      path: where.path,
      message: `Vault signed this user in to ${actual} instead of ${expected}. The user probably has no access to ${expected} (or the DNS is wrong), so Vault picked another of their Vaults. Nothing was done there; the session was closed from ${expected} (if Vault keeps it open, it lapses at the Vault's idle timeout). Check the Vault DNS and the user's access.`,
    });
  }
  deps.logger.info(where.how, {
    vaultId: body.vaultId,
    userId: body.userId,
    executionId: res.executionId,
    truncatedSessionId: res.headers.get('X-VaultAPI-TruncatedSessionId') ?? undefined,
  });
  return session;
}

/** §1.1: every API access token value starts with `veeva-vault-`. */
export function tokenAuth(token: string): TokenAuth {
  const t = token.trim();
  if (!t.startsWith('veeva-vault-') || t.length <= 'veeva-vault-'.length || /\s/.test(t)) {
    throw invalidInput('That is not a Vault API access token: token values start with "veeva-vault-".');
  }
  registerSecret(t);
  return { kind: 'token', token: t };
}

/**
 * §3.8: checks a pasted session id with `GET /api/` and refuses it unless
 * `values[version]` is `https://{dns}/api/{version}` for this connection.
 */
export async function validatePastedSession(http: VaultHttp, sessionId: string, deps: LoginDeps): Promise<SessionAuth> {
  const id = sessionId.trim();
  if (!id || /\s/.test(id)) throw invalidInput('The session id is empty or contains spaces.');
  registerSecret(id);
  const res = await fetchApiVersions(http, id, 'Vault answered the session check without a list of API versions.');
  const { dns, apiVersion } = http.endpoint;
  const url = res.values[apiVersion];
  if (url === undefined) {
    throw new VaultError({
      kind: 'invalid-input',
      executionId: res.executionId,
      message: `The Vault at ${dns} does not offer API version ${apiVersion}. Choose one of: ${Object.keys(res.values).join(', ')}.`,
    });
  }
  if (!urlMatches(url, dns, `/api/${apiVersion}`)) {
    let actualHost = url;
    try {
      actualHost = new URL(url).host;
    } catch {
      /* keep raw */
    }
    throw new VaultError({
      kind: 'wrong-vault',
      executionId: res.executionId,
      message: `The pasted session belongs to ${actualHost}, not ${dns}. Paste a session id from ${dns}.`,
    });
  }
  deps.logger.info('pasted session validated', {
    executionId: res.executionId,
    truncatedSessionId: res.headers.get('X-VaultAPI-TruncatedSessionId') ?? undefined,
  });
  return {
    kind: 'session',
    sessionId: id,
    owned: false,
    createdAt: deps.now(),
    userId: null,
    vault: null,
    reachable: [],
  };
}

/** `DELETE /api/{version}/session` (§3.8 End session). */
export async function endSession(http: VaultHttp, session: SessionAuth): Promise<void> {
  await http.request({ method: 'DELETE', path: '/session', authorization: session.sessionId });
}

/** Ends a session, logging instead of throwing (used on disconnect, quit, and refused logins). */
export async function endSessionQuietly(http: VaultHttp, session: SessionAuth, logger: Logger): Promise<boolean> {
  try {
    await endSession(http, session);
    return true;
  } catch (err) {
    logger.warn('could not end vault session', isVaultError(err) ? err.toLogFields() : { kind: 'unknown' });
    return false;
  }
}
