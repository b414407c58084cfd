/**
 * Demo data: the "veepharm" domain with three Vaults, a token-managing admin,
 * normal users, a VeevaID user, an inactive user, system users and a dozen
 * tokens with varied expiries; an OAuth/OIDC profile ("Acme Okta") with an
 * SSO user, and a SAML-only user. Used by default and by the CLI.
 */
import type {
  FakeIdpClientSeed,
  FakeSecurityProfileSeed,
  FakeSsoProfileSeed,
  FakeTokenSeed,
  FakeUserSeed,
  FakeVaultSeed,
} from './types';

export const DEMO_DOMAIN = 'veepharm';
export const DEMO_PASSWORD = 'Demo-Passw0rd!';
export const DEMO_ADMIN = 'admin@veepharm.com';

/** The OAuth/OIDC profile of the demo domain (docs/vault-api.md §3.4 `oath_oidc_profile_id`). */
export const DEMO_SSO_PROFILE_ID = '_oidc-acme-okta';
/** The app's Vault client ID, which the profile maps (§3.5 client ID mapping). */
export const DEMO_VAULT_CLIENT_ID = 'vault-token-desk';
/** The IdP client id it maps to: discovery's `as_client_id`. */
export const DEMO_IDP_CLIENT_ID = 'vault-token-desk-desktop';
/** Signs in through Acme Okta only (no Vault password). */
export const DEMO_SSO_USER = 'sasha.sso@veepharm.com';
/** Sasha's password at the fake IdP. */
export const DEMO_SSO_PASSWORD = 'Okta-Demo-Passw0rd!';
/** SSO through SAML only: discovery lists no profile (§3.5). */
export const DEMO_SAML_USER = 'sam.saml@veepharm.com';

export const DEMO_VAULT_IDS = { promoMats: 1776, qualityDocs: 2001, promoMatsSandbox: 1790 } as const;
export const DEMO_USER_IDS = {
  system: 1,
  applicationOwner: 2,
  admin: 61603,
  jane: 61610,
  raj: 61611,
  veevaId: 61612,
  inactive: 61613,
  sso: 61614,
  saml: 61615,
} as const;

export interface DemoSeed {
  vaults: FakeVaultSeed[];
  users: FakeUserSeed[];
  tokens: FakeTokenSeed[];
  securityProfiles: FakeSecurityProfileSeed[];
  ssoProfiles: FakeSsoProfileSeed[];
  idpClients: FakeIdpClientSeed[];
}

const DAY = 86_400_000;

export function demoSeed(opts: { now?: Date; portBase?: number } = {}): DemoSeed {
  const now = (opts.now ?? new Date()).getTime();
  const port = (i: number): number => (opts.portBase === undefined ? 0 : opts.portBase + i);
  const inDays = (d: number): Date => new Date(now + d * DAY);
  const { promoMats, qualityDocs, promoMatsSandbox } = DEMO_VAULT_IDS;
  const u = DEMO_USER_IDS;

  const vaults: FakeVaultSeed[] = [
    { id: promoMats, name: 'PromoMats', port: port(0), createdAt: new Date('2016-03-01T00:00:00Z') },
    { id: qualityDocs, name: 'QualityDocs', port: port(1), createdAt: new Date('2018-06-15T00:00:00Z') },
    {
      id: promoMatsSandbox,
      name: 'PromoMats Sandbox',
      port: port(2),
      sandboxOf: promoMats,
      createdAt: new Date('2023-01-10T00:00:00Z'),
    },
  ];

  const users: FakeUserSeed[] = [
    {
      id: u.system,
      username: 'System',
      firstName: 'System',
      lastName: 'User',
      email: 'system@veepharm.com',
      systemUser: true,
      vaults: 'all',
      securityProfile: 'system_admin__v',
    },
    {
      id: u.applicationOwner,
      username: 'application.owner@veepharm.com',
      firstName: 'Application',
      lastName: 'Owner',
      systemUser: true,
      vaults: 'all',
      securityProfile: 'system_admin__v',
    },
    {
      id: u.admin,
      username: DEMO_ADMIN,
      password: DEMO_PASSWORD,
      firstName: 'Avery',
      lastName: 'Admin',
      timezone: 'America/New_York',
      securityProfile: 'vault_owner__v',
      vaults: [promoMats, qualityDocs, promoMatsSandbox],
    },
    {
      id: u.jane,
      username: 'jane.doe@veepharm.com',
      password: DEMO_PASSWORD,
      firstName: 'Jane',
      lastName: 'Doe',
      timezone: 'Europe/Berlin',
      securityProfile: 'document_user__v',
      vaults: [promoMats, promoMatsSandbox],
    },
    {
      id: u.raj,
      username: 'raj.patel@veepharm.com',
      password: DEMO_PASSWORD,
      firstName: 'Raj',
      lastName: 'Patel',
      timezone: 'Asia/Kolkata',
      securityProfile: 'document_user__v',
      vaults: [qualityDocs, promoMats],
      lastLoginVault: qualityDocs,
    },
    {
      id: u.veevaId,
      username: 'maria.lopez@veevaid.com',
      password: DEMO_PASSWORD,
      firstName: 'Maria',
      lastName: 'Lopez',
      timezone: 'Europe/Madrid',
      veevaId: true,
      vaults: [promoMats],
    },
    {
      id: u.inactive,
      username: 'former.employee@veepharm.com',
      password: DEMO_PASSWORD,
      firstName: 'Former',
      lastName: 'Employee',
      active: false,
      vaults: [promoMats],
    },
    {
      // Same Vaults as the admin; document_user__v may generate tokens for themself (§1.3).
      id: u.sso,
      username: DEMO_SSO_USER,
      password: null,
      firstName: 'Sasha',
      lastName: 'Sso',
      timezone: 'Europe/London',
      securityProfile: 'document_user__v',
      vaults: [promoMats, qualityDocs, promoMatsSandbox],
      sso: { profile: DEMO_SSO_PROFILE_ID, idpPassword: DEMO_SSO_PASSWORD },
    },
    {
      id: u.saml,
      username: DEMO_SAML_USER,
      password: null,
      firstName: 'Sam',
      lastName: 'Saml',
      securityProfile: 'document_user__v',
      vaults: [promoMats],
      samlOnly: true,
    },
  ];

  const ssoProfiles: FakeSsoProfileSeed[] = [
    {
      id: DEMO_SSO_PROFILE_ID,
      label: 'Acme Okta',
      description: 'Sign in with your Acme Okta account',
      clientIdMappings: { [DEMO_VAULT_CLIENT_ID]: DEMO_IDP_CLIENT_ID },
      deviceFlow: true,
      oauthProviderType: 'okta',
    },
  ];
  const idpClients: FakeIdpClientSeed[] = [{ clientId: DEMO_IDP_CLIENT_ID }];

  const t = (
    vault: number,
    user: number,
    name: string,
    expiresAt: Date | null,
    extra: Partial<FakeTokenSeed> = {},
  ): FakeTokenSeed => ({
    vault,
    user,
    name,
    expiresAt,
    createdAt: inDays(-30),
    ...extra,
  });
  const tokens: FakeTokenSeed[] = [
    t(promoMats, u.admin, 'CI pipeline', inDays(5), { lastUsedAt: inDays(-1) }),
    t(promoMats, u.admin, 'Data warehouse export', inDays(60), { lastUsedAt: inDays(-3) }),
    t(promoMats, u.admin, 'Legacy sync (never expires)', null, { createdAt: inDays(-400), lastUsedAt: inDays(-120) }),
    t(promoMats, u.admin, 'Old migration', inDays(-10), { createdAt: inDays(-100) }),
    t(promoMats, u.admin, 'Revoked integration', inDays(30), { deleted: true }),
    t(qualityDocs, u.admin, 'Audit export', inDays(3), { lastUsedAt: inDays(-2) }),
    t(qualityDocs, u.admin, 'QMS reporting', inDays(45)),
    t(promoMatsSandbox, u.admin, 'Sandbox tests', inDays(14)),
    t(promoMats, u.jane, 'Jane local scripts', inDays(2), { lastUsedAt: inDays(-0.5) }),
    t(promoMats, u.jane, 'Jane reporting', inDays(80)),
    t(qualityDocs, u.raj, 'QMS bridge', inDays(6), { lastUsedAt: inDays(-7) }),
    t(qualityDocs, u.raj, 'Raj test', inDays(-1), { createdAt: inDays(-20) }),
  ];

  return { vaults, users, tokens, securityProfiles: [], ssoProfiles, idpClients };
}

/** A consultant who reaches many Vaults of one client domain with one login (issue 15: discover and add). */
export const CONSULTANT_USER = 'casey.consultant@partner.example';
export const CONSULTANT_PASSWORD = 'Consult-Passw0rd!';

/**
 * One Vault domain for a consultant: `count` Vaults named `<client> <n>`, the consultant a member of
 * all of them with one password (and two tokens in each), plus a colleague who reaches only the first.
 * Start a second fake Vault with another `host` for a second Vault domain (types.ts `host`).
 */
export function consultantSeed(opts: {
  client: string;
  count: number;
  firstId: number;
  password?: string;
  userId?: number;
  now?: Date;
}): Pick<DemoSeed, 'vaults' | 'users' | 'tokens'> {
  const now = (opts.now ?? new Date()).getTime();
  const ids = Array.from({ length: opts.count }, (_, i) => opts.firstId + i);
  const userId = opts.userId ?? opts.firstId * 10;
  return {
    vaults: ids.map((id, i) => ({ id, name: `${opts.client} ${i + 1}` })),
    users: [
      {
        id: userId,
        username: CONSULTANT_USER,
        password: opts.password ?? CONSULTANT_PASSWORD,
        firstName: 'Casey',
        lastName: 'Consultant',
        securityProfile: 'vault_owner__v',
        vaults: ids,
      },
      {
        id: userId + 1,
        username: `colleague@${opts.client.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
        password: opts.password ?? CONSULTANT_PASSWORD,
        vaults: [ids[0]!],
      },
    ],
    tokens: ids.flatMap((vault) => [
      { vault, user: userId, name: `ETL ${vault}`, expiresAt: new Date(now + 30 * DAY) },
      { vault, user: userId, name: `Reports ${vault}`, expiresAt: new Date(now + 5 * DAY) },
    ]),
  };
}
