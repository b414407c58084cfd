/**
 * Fake Veeva Vault server for tests and manual runs: several Vaults of one
 * domain, each on its own HTTPS port on 127.0.0.1 (DNS `127.0.0.1:<port>`).
 * Behaviour follows docs/vault-api.md; UNCONFIRMED points are options
 * (see options.ts).
 */
import { loadOrCreateTls, type TlsMaterial } from './certificate';
import { FaultInjector } from './faults';
import { startFakeIdp } from './idp/fake-idp';
import { introspector, listenForLoginHost } from './login-host';
import { resolveOptions, type ResolvedOptions } from './options';
import { QueryStore } from './query-store';
import { RateLimits } from './rate-limits';
import type { ServerContext } from './routes/context';
import { demoSeed } from './seed';
import { Sleeper, closeListener, listenForVault, type VaultListener } from './server';
import { FakeVaultState, vaultInfo } from './state';
import { Store, type VaultRecord } from './store';
import type { FakeIdp, LoginHostLogEntry } from './idp/types';
import type { FakeIdpClientSeed, FakeVault, FakeVaultInfo, FakeVaultOptions, RequestLogEntry } from './types';

export type {
  FakeIdpClientSeed,
  FakeSecurityProfileSeed,
  FakeSsoProfileSeed,
  IdpGrantType,
  FakeTokenSeed,
  FakeUserSeed,
  FakeVault,
  FakeVaultInfo,
  FakeVaultOptions,
  FakeVaultSeed,
  RequestAuthKind,
  RequestLogEntry,
} from './types';
export type {
  FakeIdp,
  FakeSsoOptions,
  IdpRequestLogEntry,
  IssuedTokens,
  IssueTokensInput,
  LoginHostLogEntry,
} from './idp/types';
export type { Fault, FaultMatch, FaultRule } from './faults';
export { FaultInjector } from './faults';
export type { CreateTokenInput, FakeSessionInfo, FakeTokenInfo, FakeUserInfo, FakeUserPatch } from './state';
export { FakeVaultState } from './state';
export type { UnconfirmedErrorTypes } from './options';
export { DEFAULT_ERROR_TYPES, DEFAULT_SECURITY_PROFILES } from './options';
export { ManualClock } from './clock';
export {
  DEMO_ADMIN,
  DEMO_DOMAIN,
  DEMO_IDP_CLIENT_ID,
  DEMO_PASSWORD,
  DEMO_SAML_USER,
  DEMO_SSO_PASSWORD,
  DEMO_SSO_PROFILE_ID,
  DEMO_SSO_USER,
  DEMO_USER_IDS,
  DEMO_VAULT_CLIENT_ID,
  DEMO_VAULT_IDS,
  demoSeed,
} from './seed';
export { MAX_ACTIVE_TOKENS } from './routes/tokens';
export { MAX_DELETE_BATCH } from './routes/vobjects';

export async function startFakeVault(options: FakeVaultOptions = {}): Promise<FakeVault> {
  const resolved = resolveOptions(options);
  const demo = options.vaults ? null : demoSeed({ now: resolved.now() });
  const vaultSeeds = options.vaults ?? demo!.vaults;
  const userSeeds = options.users ?? demo?.users ?? [];
  const tokenSeeds = options.tokens ?? (options.users ? [] : (demo?.tokens ?? []));
  const ssoProfileSeeds = options.ssoProfiles ?? (options.users ? [] : (demo?.ssoProfiles ?? []));
  const idpClientSeeds = options.idpClients ?? (options.users ? [] : (demo?.idpClients ?? []));

  const tls = await loadOrCreateTls(options.certDir);
  const store = new Store(resolved);
  for (const p of options.securityProfiles ?? []) store.upsertProfile(p);
  vaultSeeds.forEach((seed, i) => store.addVault(seed, i));
  for (const p of ssoProfileSeeds) store.addSsoProfile(p);
  if (!userSeeds.some((u) => u.systemUser)) {
    store.addUser({
      id: userSeeds.some((u) => u.id === 1) ? undefined : 1,
      username: 'System',
      firstName: 'System',
      lastName: 'User',
      systemUser: true,
      vaults: 'all',
      securityProfile: 'system_admin__v',
    });
  }
  for (const u of userSeeds) store.addUser(u);

  const requestLog: RequestLogEntry[] = [];
  const ctx: ServerContext = {
    store,
    options: resolved,
    faults: new FaultInjector(),
    limits: new RateLimits(resolved),
    queries: new QueryStore(resolved.now, resolved.queryResultTtlMs),
    requestLog,
  };
  const sleeper = new Sleeper();
  const listeners: VaultListener[] = [];
  const vaults: FakeVaultInfo[] = [];
  const loginHostRequests: LoginHostLogEntry[] = [];
  const extraClosers: (() => Promise<void>)[] = [];

  const startVault = async (record: VaultRecord, port: number): Promise<FakeVaultInfo> => {
    const l = await listenForVault(ctx, sleeper, record.id, port, tls);
    listeners.push(l);
    store.bindVault(record.id, l.port);
    const info = vaultInfo(record);
    vaults.push(info);
    return info;
  };

  const closeAll = async (): Promise<void> => {
    sleeper.cancelAll();
    await Promise.all([...listeners.map(closeListener), ...extraClosers.map((c) => c())]);
  };

  let sso: { idp: FakeIdp; loginHost: string };
  try {
    for (const [i, seed] of vaultSeeds.entries()) {
      const record = [...store.vaults.values()].find((v) => v.seq === i)!;
      await startVault(record, seed.port ?? 0);
    }
    sso = await startSso(store, resolved, idpClientSeeds, tls, loginHostRequests, extraClosers);
  } catch (e) {
    await closeAll();
    throw e;
  }

  for (const t of tokenSeeds) {
    const vault = store.requireVault(t.vault);
    const user = store.requireUser(t.user);
    store.insertToken({
      vaultId: vault.id,
      userId: user.id,
      name: t.name,
      expiresAt: t.expiresAt ?? null,
      createdBy: user.id,
      ...(t.createdAt ? { createdAt: t.createdAt } : {}),
      ...(t.lastUsedAt !== undefined ? { lastUsedAt: t.lastUsedAt } : {}),
      ...(t.deleted ? { deleted: true } : {}),
      ...(t.value !== undefined ? { value: t.value } : {}),
    });
  }

  const state = new FakeVaultState(store, { startVault });
  let closed = false;
  return {
    vaults,
    loginHost: sso.loginHost,
    idp: sso.idp,
    loginHostRequests,
    caPath: tls.caPath,
    caPem: tls.caPem,
    state,
    faults: ctx.faults,
    requestLog,
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await closeAll();
    },
  };
}

/** The fake IdP and the login host, whose session endpoint introspects at that IdP (§3.4). */
async function startSso(
  store: Store,
  resolved: ResolvedOptions,
  clients: FakeIdpClientSeed[],
  tls: TlsMaterial,
  log: LoginHostLogEntry[],
  closers: (() => Promise<void>)[],
): Promise<{ idp: FakeIdp; loginHost: string }> {
  const running = await startFakeIdp(store, resolved, clients, tls);
  closers.push(() => running.listener.close());
  const loginHost = await listenForLoginHost(
    {
      store,
      options: resolved,
      issuer: running.idp.issuer,
      faults: running.ctx.faults,
      introspect: introspector(tls.caPem, running.introspectionEndpoint, running.idp.introspectionAuthorization),
    },
    log,
    tls,
    resolved.sso.loginHostPort,
  );
  closers.push(() => loginHost.close());
  return { idp: running.idp, loginHost: loginHost.ctx.loginHost };
}
