/** The shared saved sign-in names (issue 15, item 2): which connections share one keychain item. */
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../shared/domain';
import { connectionFixture } from '../helpers/connection-fixture';
import { sameSignIn, signInAccount, signInDomainKey, signInUsers } from '../../shared/signin-accounts';

const c = (over: Partial<Connection>): Connection =>
  connectionFixture({ id: 'id', dns: 'acme-qa.veevavault.com', username: 'me@acme.com', ...over });

describe('signin accounts', () => {
  it('keys a Vault domain by the DNS without its first label and port', () => {
    expect(signInDomainKey('acme-qa.veevavault.com')).toBe('veevavault.com');
    expect(signInDomainKey('ACME-prod.VeevaVault.com:8443')).toBe('veevavault.com');
    expect(signInDomainKey('vault.eu.example.com')).toBe('eu.example.com');
    expect(signInDomainKey('127.0.0.1:8441')).toBe('127.0.0.1');
    expect(signInDomainKey('localhost:8441')).toBe('localhost');
    expect(signInDomainKey('example.com')).toBe('example.com');
  });

  it('names one item per kind, domain and user (case-blind); tokens per Vault; no session item', () => {
    expect(signInAccount(c({}))).toBe('signin/password/veevavault.com/me@acme.com');
    expect(signInAccount(c({ username: 'Me@ACME.com', dns: 'acme-prod.veevavault.com' }))).toBe(
      'signin/password/veevavault.com/me@acme.com',
    );
    expect(signInAccount(c({ authMethod: 'sso' }))).toBe('signin/sso/veevavault.com/me@acme.com');
    expect(signInAccount(c({ authMethod: 'token' }))).toBe('signin/token/acme-qa.veevavault.com/me@acme.com');
    expect(signInAccount(c({ authMethod: 'session' }))).toBeNull();
  });

  it('shares between Vaults of one domain, not across domains, users, kinds or for tokens', () => {
    expect(sameSignIn(c({}), c({ dns: 'acme-prod.veevavault.com' }))).toBe(true);
    expect(sameSignIn(c({}), c({ dns: 'acme.other-host.com' }))).toBe(false);
    expect(sameSignIn(c({}), c({ username: 'you@acme.com' }))).toBe(false);
    expect(sameSignIn(c({}), c({ authMethod: 'sso' }))).toBe(false);
    expect(sameSignIn(c({ authMethod: 'token' }), c({ authMethod: 'token', dns: 'acme-prod.veevavault.com' }))).toBe(
      false,
    );
    expect(sameSignIn(c({ authMethod: 'session' }), c({ authMethod: 'session' }))).toBe(false);
  });

  it('counts as users only the connections that use the saved item', () => {
    const all = [
      c({ id: 'a' }),
      c({ id: 'b', dns: 'acme-prod.veevavault.com' }),
      c({ id: 'c', dns: 'acme-dev.veevavault.com', secretStored: false }),
      c({ id: 'd', username: 'other@acme.com' }),
    ];
    expect(signInUsers(all, c({})).map((x) => x.id)).toEqual(['a', 'b']);
  });
});
