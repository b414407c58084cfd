/**
 * vault-api.md §3.1: `Authorization: {sessionId}`, `Bearer {sessionId}` or
 * `Bearer {access_token}`.
 */
import type { SessionRecord, Store, TokenRecord, UserRecord } from './store';
import { truncateToSecond } from './time';
import type { RequestAuthKind } from './types';

export type Principal =
  | { kind: 'session'; session: SessionRecord; user: UserRecord }
  | { kind: 'token'; token: TokenRecord; user: UserRecord };

export interface PresentedCredential {
  kind: RequestAuthKind;
  value: string;
}

export function presentedCredential(header: string | undefined): PresentedCredential {
  const raw = (header ?? '').trim();
  if (!raw) return { kind: 'none', value: '' };
  const value = /^bearer\s+/i.test(raw) ? raw.replace(/^bearer\s+/i, '').trim() : raw;
  if (!value) return { kind: 'none', value: '' };
  return { kind: value.startsWith('veeva-vault-') ? 'token' : 'session', value };
}

/**
 * Resolves the credential for a call on `vaultId`. Sessions and tokens are
 * bound to one Vault: a credential of another Vault is invalid here.
 * A successful token authentication bumps `last_used_date__sys` (§1.7).
 */
export function authenticate(store: Store, cred: PresentedCredential, vaultId: number): Principal | null {
  if (cred.kind === 'none') return null;
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
