/**
 * Starts the fake identity provider and builds `fake.idp`, its test-facing
 * facade. The IdP's directory is the Vault users that have `sso` (their IdP
 * password, not their Vault password), so `fake.state.addUser` works for SSO too.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedOptions } from '../options';
import type { Store } from '../store';
import type { FakeIdpClientSeed } from '../types';
import { noFaults, type IdpContext } from './context';
import { decideDevice } from './device';
import { IdpStore, parseScope, type IdpAccount } from './idp-store';
import { listenForIdp, type IdpListener } from './server';
import type { FakeIdp, IdpRequestLogEntry, IssuedTokens, IssueTokensInput } from './types';

export interface RunningIdp {
  idp: FakeIdp;
  ctx: IdpContext;
  /** Where the login host introspects tokens (RFC 7662). */
  introspectionEndpoint: string;
  listener: IdpListener;
}

function accountOf(store: Store, username: string): IdpAccount | null {
  const u = store.findUser(username);
  if (!u || !u.idpPasswordSha256) return null;
  // OIDC Core §2: `sub` is stable and never reassigned; derived from the user id.
  return { username: u.username, sub: `00u${u.id}`, passwordSha256: u.idpPasswordSha256 };
}

export async function startFakeIdp(
  vaultStore: Store,
  options: ResolvedOptions,
  clients: FakeIdpClientSeed[],
  tls: { certPem: string; keyPem: string },
): Promise<RunningIdp> {
  const store = new IdpStore(options.now, options.sso, (username) => accountOf(vaultStore, username));
  for (const c of clients) store.registerClient(c);
  // Every IdP client id a profile maps to exists at the IdP (what the IdP admin registered).
  for (const p of vaultStore.ssoProfiles.values())
    for (const id of Object.values(p.clientIdMappings))
      if (!store.clients.has(id)) store.registerClient({ clientId: id });

  const ctx: IdpContext = { store, faults: noFaults() };
  const requests: IdpRequestLogEntry[] = [];
  const introspectionAuthorization = `Basic ${Buffer.from(`fake-vault:${randomBytes(24).toString('hex')}`).toString('base64')}`;
  const listener = await listenForIdp(ctx, requests, tls, options.sso.idpPort, introspectionAuthorization);

  const requireDevice = (userCode: string) => {
    const d = store.deviceByUserCode(userCode);
    if (!d || d.status !== 'pending') throw new Error(`fake-idp: no pending device authorization ${userCode}`);
    return d;
  };

  const idp: FakeIdp = {
    issuer: store.issuer,
    port: listener.port,
    introspectionAuthorization,
    requests,
    setDown: (down) => listener.setDown(down),
    setWrongState(on) {
      ctx.faults.wrongState = on;
    },
    setAuthorizeError(error) {
      ctx.faults.authorizeError = error;
    },
    expireCodes: () => store.expireCodes(),
    revokeRefreshTokens: (username) => store.revoke('refresh', username),
    revokeAccessTokens: (username) => store.revoke('access', username),
    refuseAtVault(on) {
      ctx.faults.refuseAtVault = on;
    },
    issueTokens(input: IssueTokensInput): IssuedTokens {
      const account = store.account(input.username);
      if (!account) throw new Error(`fake-idp: ${input.username} has no IdP account (seed it with sso)`);
      if (!store.clients.has(input.clientId)) throw new Error(`fake-idp: unknown client ${input.clientId}`);
      const body = store.issueTokens(
        {
          grantId: store.newGrantId(),
          clientId: input.clientId,
          username: account.username,
          sub: account.sub,
          scope: parseScope(input.scope ?? 'openid offline_access'),
        },
        input.accessTokenLifetimeMs === undefined ? {} : { accessTokenLifetimeMs: input.accessTokenLifetimeMs },
      );
      return {
        accessToken: body.access_token as string,
        refreshToken: (body.refresh_token as string | undefined) ?? null,
        expiresIn: body.expires_in as number,
      };
    },
    approveDevice(userCode, username) {
      const account = store.account(username);
      if (!account) throw new Error(`fake-idp: ${username} has no IdP account`);
      decideDevice(requireDevice(userCode), 'approve', account);
    },
    denyDevice(userCode) {
      decideDevice(requireDevice(userCode), 'deny', null);
    },
  };
  return { idp, ctx, introspectionEndpoint: `${store.issuer}/introspect`, listener };
}
