/**
 * POST /api/{version}/auth — user name and password (docs/vault-api.md §3.2), with
 * authentication defaulting (§3.3) and the auth burst limit (§5.3).
 */
import { failureBody, successBody } from '../errors';
import { parseFormFields } from '../http-io';
import { sha256Hex } from '../ids';
import type { Store, UserRecord, VaultRecord } from '../store';
import type { Reply, RequestContext } from './context';

/** `https://Host:port/` → `host:port`; `localhost` is an alias of 127.0.0.1. */
export function normalizeDns(raw: string): string {
  let s = raw.trim().toLowerCase();
  s = s.replace(/^[a-z]+:\/\//, '');
  s = s.split('/')[0] ?? '';
  if (s.startsWith('localhost:') || s === 'localhost') s = s.replace('localhost', '127.0.0.1');
  return s;
}

function usable(store: Store, user: UserRecord, v: VaultRecord | undefined): v is VaultRecord {
  return !!v && v.active && v.port !== 0 && store.isMember(user, v.id);
}

/**
 * §3.3: the Vault at the requested DNS if the user can use it; else the Vault
 * they last logged into; else the oldest active Vault they belong to; else none.
 */
export function chooseLoginVault(store: Store, user: UserRecord, requestedDns: string): VaultRecord | null {
  const requested = store.vaultByDns(requestedDns);
  if (usable(store, user, requested)) return requested;
  const last = user.lastLoginVaultId === null ? undefined : store.vaults.get(user.lastLoginVaultId);
  if (usable(store, user, last)) return last;
  return store.usableVaults(user)[0] ?? null;
}

export function handleAuth(rc: RequestContext): Reply {
  const { store, options, limits } = rc.server;
  const fields = parseFormFields(rc.body, rc.contentType) ?? new Map<string, string>();
  const username = (fields.get('username') ?? '').trim();
  const password = fields.get('password') ?? '';
  // §3.2: body vaultDNS overrides the URL host.
  const requestedDns = normalizeDns(fields.get('vaultDNS') || rc.headers.host || rc.vault.dns);

  const verdict = limits.hitAuth(username, requestedDns);
  const fail = (type: string, message: string): Reply => ({
    body: failureBody(type, message, { errorType: options.authFailureErrorType }),
    delayMs: verdict.delayMs,
  });

  // §5.3: at the auth limit, further calls fail until the next minute.
  if (verdict.refused) {
    return fail(
      'API_LIMIT_EXCEEDED',
      `Authentication API limit of ${verdict.limit} calls per minute exceeded for this user and Vault.`,
    );
  }
  // §3.2: the error for a missing user name is UNCONFIRMED (options.errorTypes.missingUsername).
  if (!username) return fail(options.errorTypes.missingUsername, 'Authentication failed for user: .');
  if (!password) return fail('NO_PASSWORD_PROVIDED', 'No password was provided for the login call.');

  const user = store.findUser(username);
  if (!user || !user.passwordSha256 || user.passwordSha256 !== sha256Hex(password)) {
    return fail('USERNAME_OR_PASSWORD_INCORRECT', `Authentication failed for user: ${username}.`);
  }
  if (user.lockedOut) return fail('USER_LOCKED_OUT', 'The user is locked out.');
  if (!user.active) return fail('INACTIVE_USER', 'User is inactive or not found.');
  if (user.passwordChangeRequired) return fail('PASSWORD_CHANGE_REQUIRED', 'Password change required.');

  let vault: VaultRecord | null;
  if (rc.forcedLoginVaultId !== null) {
    vault = store.vaults.get(rc.forcedLoginVaultId) ?? null;
  } else {
    vault = chooseLoginVault(store, user, requestedDns);
  }
  if (!vault) {
    // §3.3: auth fails only if no Vault works; the error type is UNCONFIRMED
    // (options.errorTypes.noAvailableVault).
    return fail(options.errorTypes.noAvailableVault, 'User does not have access to any active Vault.');
  }

  const opened = openSession(store, user, vault);
  return { ...opened, delayMs: verdict.delayMs };
}

/**
 * §3.2 success body, shared with the OAuth session endpoint (§3.4: "Response
 * identical to 3.2"): a session on `vault`, which becomes the last-login Vault (§3.3).
 */
export function openSession(store: Store, user: UserRecord, vault: VaultRecord): Reply {
  const session = store.createSession(user.id, vault.id);
  user.lastLoginVaultId = vault.id;
  user.lastLoginAt = store.now();

  const vaults = store.usableVaults(user);
  if (!vaults.some((v) => v.id === vault.id)) vaults.push(vault);
  return {
    body: successBody({
      sessionId: session.id,
      userId: user.id,
      vaultIds: vaults.map((v) => ({ id: v.id, name: v.name, url: `${v.origin}/api` })),
      vaultId: vault.id,
    }),
    headerPrincipal: { kind: 'session', session, user },
  };
}
