/**
 * docs/vault-api.md §3.1: `Authorization: {sessionId}`, `Bearer {sessionId}` or
 * `Bearer {access_token}`. An API access token is accepted ONLY behind the
 * Bearer keyword (T-exp: "The Authorization HTTP header accepts the access
 * token value preceded by the Bearer keyword"); a bare `veeva-vault-…` value
 * is looked up as a session ID and so fails with INVALID_SESSION_ID, unless
 * options.acceptRawTokenAuthorization. The scheme name is matched without
 * regard to case (RFC 9110 §11.1: auth schemes are case-insensitive).
 */
import type { SessionRecord, Store, TokenRecord, UserRecord } from './store';
import { truncateToSecond } from './time';
import type { RequestAuthKind } from './types';

export type Principal =
  | { kind: 'session'; session: SessionRecord; user: UserRecord }
  | { kind: 'token'; token: TokenRecord; user: UserRecord };

export interface PresentedCredential {
  /** What the value looks like: a token starts with `veeva-vault-` (§1.1). */
  kind: RequestAuthKind;
  value: string;
  /** Sent as `Bearer <value>`. */
  bearer: boolean;
}

const BEARER = /^bearer\s+/i;

export function presentedCredential(header: string | undefined): PresentedCredential {
  const raw = (header ?? '').trim();
  const bearer = BEARER.test(raw);
  const value = bearer ? raw.replace(BEARER, '').trim() : raw;
  if (!value) return { kind: 'none', value: '', bearer: false };
  return { kind: value.startsWith('veeva-vault-') ? 'token' : 'session', value, bearer };
}

/** A token presented without `Bearer`: refused unless options.acceptRawTokenAuthorization. */
export function isRawToken(store: Store, cred: PresentedCredential): boolean {
  return cred.kind === 'token' && !cred.bearer && !store.options.acceptRawTokenAuthorization;
}

/**
 * Resolves the credential for a call on `vaultId`. Sessions and tokens are
 * bound to one Vault: a credential of another Vault is invalid here.
 * A successful token authentication bumps `last_used_date__sys` (§1.7).
 */
export function authenticate(store: Store, cred: PresentedCredential, vaultId: number): Principal | null {
  if (cred.kind === 'none' || isRawToken(store, cred)) return null;
  if (cred.kind === 'token') {
    const token = store.tokenByValue(cred.value);
    if (!token || token.vaultId !== vaultId || store.lifecycle(token) !== 'active') return null;
    const user = store.users.get(token.userId);
    if (!user || !user.active) return null;
    token.lastUsedAt = truncateToSecond(store.now());
    return { kind: 'token', token, user };
  }
  const session = store.sessions.get(cred.value);
  if (!session || session.vaultId !== vaultId) return null;
  const validity = store.sessionValidity(session);
  if (validity !== 'valid') {
    if (validity === 'idle' || validity === 'max-age') store.endSession(session, validity);
    return null;
  }
  const user = store.users.get(session.userId);
  if (!user || !user.active) return null;
  return { kind: 'session', session, user };
}
