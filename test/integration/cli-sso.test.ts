/**
 * Single sign-on from the command line (issue 12), as a consultant's terminal or cron job runs it:
 * the built CLI as a process, the real keychain, the fake Vault, login host and identity provider.
 * `$BROWSER` is test/helpers/sso-browser.ts, which follows the authorization URL, signs in at the
 * fake identity provider and lands on the CLI's loopback redirect, as `gh` and `az` users' browsers do.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, DEMO_SSO_PASSWORD, DEMO_SSO_USER, startFakeVault, type FakeVault } from '../fake-vault/index';
import { CLI_BIN, CliRunner, ROOT, buildCli, describeRun } from '../helpers/cli-runner';
import { realKeychain } from '../helpers/keychain';
import { tempDir } from '../helpers/temp-dir';

const keychain = await realKeychain();

describe.skipIf(!keychain.available)('CLI single sign-on (built CLI, real keychain, fake identity provider)', () => {
  let fake: FakeVault;
  let dir: ReturnType<typeof tempDir>;
  let cli: CliRunner;
  let browserLog = '';
  let env: Record<string, string>;

  beforeAll(async () => {
    await buildCli();
    fake = await startFakeVault({ sso: { deviceIntervalSeconds: 1 } });
    dir = tempDir();
    browserLog = join(dir.path, 'browser.log');
    env = {
      NODE_EXTRA_CA_CERTS: fake.caPath,
      VAULT_TOKEN_DESK_LOGIN_HOST: fake.loginHost,
      BROWSER: `${process.execPath} --no-warnings ${join(ROOT, 'test/helpers/sso-browser.ts')}`,
      VTD_TEST_IDP_USER: DEMO_SSO_USER,
      VTD_TEST_IDP_PASSWORD: DEMO_SSO_PASSWORD,
      VTD_TEST_BROWSER_LOG: browserLog,
    };
    cli = new CliRunner(join(dir.path, 'data'), env);
  }, 180_000);

  afterAll(async () => {
    await fake?.close();
    dir?.cleanup();
  });

  it('connection add --sso runs discovery, opens $BROWSER and signs in', async () => {
    const { result, doc } = await cli.json<Record<string, unknown>>([
      'connection',
      'add',
      'PromoMats SSO',
      '--dns',
      fake.vaults[0]!.dns,
      '--username',
      DEMO_SSO_USER,
      '--sso',
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(doc).toMatchObject({ authMethod: 'sso', secretStored: true, ssoProfile: 'Acme Okta' });
    // The URL is printed in case the browser did not open.
    expect(result.stderr).toMatch(/If it did not open, visit:\n {2}https:\/\/127\.0\.0\.1:\d+\/authorize\?/);
    expect(readFileSync(browserLog, 'utf8')).toMatch(/^200 127\.0\.0\.1:\d+$/m);
  });

  it('a new process renews silently: sync and generate need nothing typed', async () => {
    const sync = await cli.run(['token', 'sync', '--connection', 'PromoMats SSO']);
    expect(sync.code, describeRun(sync)).toBe(0);
    const { result, doc } = await cli.json<{ value?: string }>([
      'token',
      'generate',
      '--connection',
      'PromoMats SSO',
      '--me',
      '--name',
      'CLI SSO token',
    ]);
    expect(result.code, describeRun(result)).toBe(0);
    expect(doc.value).toMatch(/^veeva-vault-/);
  });

  it('connection login --device-code prints the code on stderr and waits for approval', async () => {
    const child = spawn(
      process.execPath,
      [CLI_BIN, '--data-dir', cli.dataDir, 'connection', 'login', 'PromoMats SSO', '--device-code'],
      { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    child.stdin.end();
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    const code = await new Promise<number>((resolve) => {
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        const m = /enter the code:\n {2}(\S+)/.exec(stderr);
        if (m && !stderr.includes('(approved)')) {
          stderr += '(approved)';
          fake.idp.approveDevice(m[1]!, DEMO_SSO_USER);
        }
      });
      child.on('close', (c) => resolve(c ?? -1));
    });
    expect(code, stderr).toBe(0);
    expect(stderr).toMatch(new RegExp(`open ${fake.idp.issuer.replace(/[.]/g, '\\.')}/device on any device`));
    expect(stdout).toMatch(/Signed in to “PromoMats SSO” with Acme Okta; renewal kept in the OS keychain/);
  }, 60_000);

  it('with no terminal and no usable refresh token, exits 1 and says to run connection login', async () => {
    fake.idp.revokeRefreshTokens(DEMO_SSO_USER);
    const sync = await cli.run(['token', 'sync', '--connection', 'PromoMats SSO']);
    expect(sync.code, describeRun(sync)).toBe(1);
    expect(sync.stderr).toMatch(/run `vault-token-desk connection login 'PromoMats SSO'` in a terminal first/);
    const test = await cli.run(['connection', 'test', 'PromoMats SSO']);
    expect(test.code, describeRun(test)).toBe(1);
    expect(test.stderr).toMatch(/Sign in again to “PromoMats SSO”.*connection login 'PromoMats SSO'/);
  });

  it('a password user is told so and nothing is saved', async () => {
    const add = await cli.run([
      'connection',
      'add',
      'Admin SSO',
      '--dns',
      fake.vaults[0]!.dns,
      '--username',
      DEMO_ADMIN,
      '--sso',
    ]);
    expect(add.code, describeRun(add)).toBe(1);
    expect(add.stderr).toMatch(/signs in with a password, not single sign-on/);
    const { doc } = await cli.json<{ name: string }[]>(['connection', 'list']);
    expect(doc.map((c) => c.name)).toEqual(['PromoMats SSO']);
  });

  it('never prints an authorization code, verifier or identity-provider token', () => {
    // The authorization URL is printed on purpose (state and code_challenge are not secrets); the
    // loopback callback's code, the verifier and the tokens never are.
    const all = cli.runs.map((r) => r.stdout + r.stderr).join('\n');
    expect(all).toMatch(/[?&]state=/);
    expect(all).not.toMatch(/[?&](code|code_verifier)=/);
    expect(all).not.toMatch(/refresh_token|access_token/);
  });
});
