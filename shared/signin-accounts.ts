/**
 * One saved sign-in per account (issue 15, item 2): connections with the same user on the same Vault
 * domain share one keychain item, so changing the password once fixes every connection that uses it.
 *
 *   signin/password/<domain key>/<user>   a remembered Vault password
 *   signin/sso/<domain key>/<user>        the identity provider's refresh token (single sign-on)
 *   signin/token/<vault dns>/<user>       an API access token used to log in
 *
 * The domain key is the Vault DNS without its port and without the Vault's own first label
 * (`acme-qa.veevavault.com` → `veevavault.com`): a Vault user signs in with one password on every
 * Vault of the domain (docs/vault-api.md §3.2: one login returns every Vault it reaches in `vaultIds`).
 * An IP address or a host of fewer than three labels (`127.0.0.1`, `localhost`) is its own domain key.
 * UNCONFIRMED: Veeva documents that one login reaches every Vault in its `vaultIds`, not how Vault
 * domains map to host names. Every Vault on veevavault.com therefore shares one key per user; a
 * customer domain with its own host names (vanity DNS) gets its own key, which costs a second
 * password prompt at worst, never a wrong password sent to another domain's login.
 * An API access token is "a per-user, per-Vault credential" (§1.1), so its key is the whole Vault DNS.
 * User names compare without case, as Vault compares them. Session ids are never saved (§6).
 * Pure, so the connection form can say how many connections use a saved sign-in.
 */
import type { Connection } from './domain';

export type SignInKind = 'password' | 'token' | 'sso';
type SignInFields = Pick<Connection, 'authMethod' | 'dns' | 'username'>;

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function hostOf(dns: string): string {
  return (dns.trim().toLowerCase().split(':', 1)[0] ?? '').replace(/\.$/, '');
}

/** The part of a Vault DNS that all Vaults of one domain share: see the file comment. */
export function signInDomainKey(dns: string): string {
  const host = hostOf(dns);
  const labels = host.split('.');
  if (IPV4.test(host) || labels.length < 3) return host;
  return labels.slice(1).join('.');
}

/** The keychain account holding this connection's saved sign-in, or null for a session id (never saved). */
export function signInAccount(c: SignInFields): string | null {
  const user = c.username.trim().toLowerCase();
  switch (c.authMethod) {
    case 'password':
    case 'sso':
      return `signin/${c.authMethod}/${signInDomainKey(c.dns)}/${user}`;
    case 'token':
      return `signin/token/${c.dns.trim().toLowerCase()}/${user}`;
    default:
      return null;
  }
}

/** Whether two connections would sign in with the same saved item. */
export function sameSignIn(a: SignInFields, b: SignInFields): boolean {
  const account = signInAccount(a);
  return account !== null && account === signInAccount(b);
}

/**
 * The connections that use this connection's saved sign-in: same account, and a saved secret they
 * use (`secretStored`). The item is removed only when the last of them stops using it.
 */
export function signInUsers(all: readonly Connection[], c: SignInFields): Connection[] {
  const account = signInAccount(c);
  if (account === null) return [];
  return all.filter((other) => other.secretStored && signInAccount(other) === account);
}
