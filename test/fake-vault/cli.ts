/**
 * Standalone fake Vault with the demo seed:
 *
 *   npx tsx test/fake-vault/cli.ts [--port-base 8441] [--cert-dir DIR]
 *                                  [--latency MS] [--idle-timeout-min N]
 *                                  [--burst-limit N]
 *
 * Prints each Vault's DNS, the CA path, the NODE_EXTRA_CA_CERTS line and the
 * credentials, the login host (VAULT_TOKEN_DESK_LOGIN_HOST), the IdP issuer
 * and the SSO user, then runs until Ctrl-C. With --cert-dir the CA and server
 * certificate are written there once and reused by later runs.
 *
 * Ports: the Vaults on port-base + 0…2, the login host on port-base + 10 and
 * the identity provider on port-base + 11 (8451 and 8452 by default).
 */
import {
  DEMO_ADMIN,
  DEMO_DOMAIN,
  DEMO_IDP_CLIENT_ID,
  DEMO_PASSWORD,
  DEMO_SAML_USER,
  DEMO_SSO_PASSWORD,
  DEMO_SSO_PROFILE_ID,
  DEMO_SSO_USER,
  DEMO_VAULT_CLIENT_ID,
  DEMO_VAULT_IDS,
  demoSeed,
  startFakeVault,
} from './index';

/** Offsets from --port-base, clear of the Vaults' ports. */
export const LOGIN_HOST_PORT_OFFSET = 10;
export const IDP_PORT_OFFSET = 11;

interface CliArgs {
  portBase: number;
  certDir: string | undefined;
  latencyMs: number;
  idleTimeoutMin: number | undefined;
  burstLimit: number | undefined;
}

function usage(): never {
  console.error(
    'usage: fake-vault [--port-base N] [--cert-dir DIR] [--latency MS] [--idle-timeout-min N] [--burst-limit N]',
  );
  process.exit(2);
}

function parseArgs(argv: string[]): CliArgs {
  const args: CliArgs = {
    portBase: 8441,
    certDir: undefined,
    latencyMs: 0,
    idleTimeoutMin: undefined,
    burstLimit: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i]!.split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) usage();
      return v;
    };
    const int = (): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 0) usage();
      return n;
    };
    switch (flag) {
      case '--port-base':
        args.portBase = int();
        break;
      case '--cert-dir':
        args.certDir = value();
        break;
      case '--latency':
        args.latencyMs = int();
        break;
      case '--idle-timeout-min':
        args.idleTimeoutMin = int();
        break;
      case '--burst-limit':
        args.burstLimit = int();
        break;
      case '--help':
      case '-h':
        usage();
        break;
      default:
        console.error(`unknown argument: ${argv[i]}`);
        usage();
    }
  }
  return args;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seed = demoSeed({ portBase: args.portBase });
  const fake = await startFakeVault({
    ...seed,
    latencyMs: args.latencyMs,
    ...(args.certDir ? { certDir: args.certDir } : {}),
    ...(args.idleTimeoutMin !== undefined ? { idleTimeoutMs: args.idleTimeoutMin * 60_000 } : {}),
    ...(args.burstLimit !== undefined ? { burstLimit: args.burstLimit } : {}),
    sso: { loginHostPort: args.portBase + LOGIN_HOST_PORT_OFFSET, idpPort: args.portBase + IDP_PORT_OFFSET },
  });
  // A token whose value we can show (the seeded ones' values are not kept).
  const demoToken = fake.state.createToken({
    vault: DEMO_VAULT_IDS.promoMats,
    user: DEMO_ADMIN,
    name: 'CLI demo token',
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
  });

  const lines = [
    `Fake Veeva Vault — domain "${DEMO_DOMAIN}"`,
    '',
    'Vaults:',
    ...fake.vaults.map((v) => {
      const sandbox = v.sandboxOf
        ? `  (sandbox of ${fake.vaults.find((p) => p.id === v.sandboxOf)?.name ?? v.sandboxOf})`
        : '';
      return `  ${String(v.id).padEnd(5)} ${v.name.padEnd(18)} DNS ${v.dns}   ${v.origin}/api/v26.2${sandbox}`;
    }),
    '',
    `CA certificate: ${fake.caPath}`,
    `  app:  VAULT_TOKEN_DESK_DEV_CA=${fake.caPath} npm start   (trusted for 127.0.0.1 only)`,
    `  CLI:  export NODE_EXTRA_CA_CERTS=${fake.caPath}`,
    '',
    'Users (password for all but the SSO ones: ' + DEMO_PASSWORD + '):',
    ...fake.state
      .listUsers()
      .filter((u) => !u.systemUser)
      .map((u) => {
        const sso = u.ssoProfile ? `SSO ${u.ssoProfile}` : u.samlOnly ? 'SAML only' : '';
        const notes = [u.securityProfile, u.timezone, u.veevaId ? 'VeevaID' : '', u.active ? '' : 'INACTIVE', sso]
          .filter(Boolean)
          .join(', ');
        return `  ${u.username.padEnd(32)} id ${String(u.id).padEnd(6)} ${notes}`;
      }),
    '',
    `Admin: ${DEMO_ADMIN} / ${DEMO_PASSWORD} (can manage everyone's tokens)`,
    `Demo token for ${DEMO_ADMIN} on PromoMats (${demoToken.id}):`,
    `  ${demoToken.value}`,
    '',
    `Login host (discovery, OAuth session): ${fake.loginHost}`,
    `  VAULT_TOKEN_DESK_LOGIN_HOST=${fake.loginHost}`,
    `Identity provider (OpenID Connect): ${fake.idp.issuer}`,
    `  profile ${DEMO_SSO_PROFILE_ID} "Acme Okta": client id ${DEMO_VAULT_CLIENT_ID} → IdP client ${DEMO_IDP_CLIENT_ID}`,
    `SSO user: ${DEMO_SSO_USER} / IdP password ${DEMO_SSO_PASSWORD} (no Vault password)`,
    `SAML-only user: ${DEMO_SAML_USER} (discovery lists no profile)`,
    '',
    `Try: curl --cacert ${fake.caPath} -d username=${DEMO_ADMIN} -d 'password=${DEMO_PASSWORD}' ${fake.vaults[0]?.origin ?? ''}/api/v26.2/auth`,
    '',
    'Ctrl-C to stop.',
  ];
  console.log(lines.join('\n'));

  const stop = (): void => {
    fake.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
